"""Planning interventions from verified reports and moving them along: planned -> notified ->
in_progress -> done, or cancelled; what each step does to the linked reports; the bad input refused."""
import html
import io
import uuid as uuid_module
from datetime import timedelta
from html import unescape

import pytest
from PIL import Image

from fieldapp.assets import unhashed
from fieldapp.clock import local_today
from fieldapp.db import connect
from tests.conftest import EDGE_MOMENTS

PHOTO = "orientation/portrait_6.jpg"


# --- set-up helpers --------------------------------------------------------------------

def building(db, presidio="P-BLO", offset=0):
    return next(db.query("SELECT * FROM buildings WHERE presidio_code = ? ORDER BY id LIMIT 1 OFFSET ?",
                         [presidio, offset]))


def make_reports(db, building_row, n=3, status="verified", area="cellars", category="waste", days_ago=10):
    """`n` reports of a building, filed `days_ago`, already in `status`."""
    author = next(db.query("SELECT id FROM users WHERE username = 'tutor.loreto'"))["id"]
    created = (local_today() - timedelta(days=days_ago)).isoformat() + "T09:00:00Z"
    uuids = [str(uuid_module.uuid4()) for _ in range(n)]
    db["reports"].insert_all([{
        "uuid": u, "building_id": building_row["id"], "area": area, "category": category, "severity": "moderate",
        "description": "", "status": status, "lat": building_row["lat"], "lon": building_row["lon"],
        "location_source": "building", "far": 0, "created_at": created, "created_by": author, "version": 2,
    } for u in uuids])
    db.conn.commit()
    return uuids


def contractor(db, active=True, name=None):
    name = name or f"Ditta Demo Test {'Attiva' if active else 'Chiusa'} Srl"
    row = next(db.query("SELECT id FROM contractors WHERE name = ?", [name]), None)
    if row:
        return row["id"]
    cid = db["contractors"].insert({"name": name, "services": '["clearance", "cleaning"]', "active": int(active),
                                    "created_at": "2026-01-01T08:00:00Z", "version": 1}).last_pk
    db.conn.commit()
    return cid


ITALIAN_WEEKDAYS = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"]


def free_day(db, after=0):
    """The first day from today (+`after`) on which no intervention is scheduled yet (demo data has some)."""
    day = local_today() + timedelta(days=after)
    while db.execute("SELECT 1 FROM interventions WHERE scheduled_on = ?", [day.isoformat()]).fetchone():
        day += timedelta(days=1)
    return day


def plan_data(db, reports, **changes):
    data = {"reports": reports, "kind": "clearance", "contractor": str(contractor(db)),
            "scheduled_on": local_today().isoformat(), "time_from": "08:00", "time_to": "12:00",
            "estimated_cost": "450,00", "tutor": "", "tenant_instructions": "", "notes": ""}
    data.update(changes)
    return data


def report_statuses(db, uuids):
    return {row["status"] for row in db.query(
        f"SELECT status FROM reports WHERE uuid IN ({', '.join('?' * len(uuids))})", uuids)}


def intervention(db, intervention_id):
    return next(db.query("SELECT * FROM interventions WHERE id = ?", [intervention_id]))


def count(db, table):
    return db.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]


def plan(client, db, reports=None, **changes):
    """Plan an intervention on three fresh verified reports; returns (id, report uuids)."""
    reports = reports or make_reports(db, building(db))
    response = client.post("/interventions/new", data=plan_data(db, reports, **changes))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1]), reports


def photo_bytes():
    from tests.conftest import PHOTOS

    return (PHOTOS / PHOTO).read_bytes()


def jpeg(color="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "JPEG")
    return buffer.getvalue()


def to_in_progress(client, intervention_id, early=False):
    assert client.post(f"/interventions/{intervention_id}/notify", data={}).status_code == 303
    data = {"confirm_early": "1"} if early else {}
    assert client.post(f"/interventions/{intervention_id}/start", data=data).status_code == 303


@pytest.fixture
def operator(login):
    return login("operatore")


# --- planning ---------------------------------------------------------------------------

def test_operator_plans_three_reports_and_they_become_planned(operator, db):
    intervention_id, reports = plan(operator, db)
    row = intervention(db, intervention_id)
    assert (row["status"], row["kind"], row["estimated_cost_cents"]) == ("planned", "clearance", 45000)
    assert row["building_id"] == building(db)["id"]
    assert report_statuses(db, reports) == {"planned"}
    linked = {r["report_uuid"] for r in db.query(
        "SELECT report_uuid FROM intervention_reports WHERE intervention_id = ?", [intervention_id])}
    assert linked == set(reports)
    events = list(db.query("SELECT from_status, to_status FROM events WHERE entity = 'intervention' AND entity_id = ?",
                           [str(intervention_id)]))
    assert events == [{"from_status": None, "to_status": "planned"}]
    page = operator.get(f"/interventions/{intervention_id}").get_data(as_text=True)
    assert "Pianificato" in page and "Segnalazioni collegate (3)" in page


def test_the_new_page_groups_verified_reports_by_building(operator, db):
    reports = make_reports(db, building(db), n=2)
    page = operator.get(f"/interventions/new?report={reports[0]}").get_data(as_text=True)
    assert page.count(f'value="{reports[0]}" id="report-{reports[0]}" checked') == 1
    assert f'value="{reports[1]}"' in page
    assert building(db)["address"] in page


def test_planning_without_reports_is_refused(operator, db):
    before = count(db, "interventions")
    response = operator.post("/interventions/new", data=plan_data(db, []))
    assert response.status_code == 422
    assert "Scegli almeno una segnalazione verificata." in response.get_data(as_text=True)
    assert count(db, "interventions") == before


def test_a_day_in_the_past_is_refused_and_nothing_changes(operator, db):
    reports = make_reports(db, building(db))
    before = count(db, "interventions")
    response = operator.post("/interventions/new", data=plan_data(
        db, reports, scheduled_on=(local_today() - timedelta(days=1)).isoformat()))
    assert response.status_code == 422
    assert "Il giorno è già passato" in response.get_data(as_text=True)
    assert count(db, "interventions") == before
    assert report_statuses(db, reports) == {"verified"}


@pytest.mark.parametrize("cost, message", [("-50", "Costo: deve essere tra 0 e 500.000 EUR, non -50"),
                                           ("dieci", "Costo: «dieci» non è un numero"),
                                           ("10,5555", "Costo: «10,5555» ha più di 2 decimali")])
def test_a_bad_estimated_cost_is_refused(operator, db, cost, message):
    reports = make_reports(db, building(db))
    response = operator.post("/interventions/new", data=plan_data(db, reports, estimated_cost=cost))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert report_statuses(db, reports) == {"verified"}


@pytest.mark.parametrize("typed, cents", [("1.250,50", 125050), ("1250.5", 125050), ("80 €", 8000), ("", None)])
def test_costs_are_read_as_people_type_them(operator, db, typed, cents):
    intervention_id, _reports = plan(operator, db, estimated_cost=typed)
    assert intervention(db, intervention_id)["estimated_cost_cents"] == cents


def test_a_contractor_no_longer_active_is_refused(operator, db):
    reports = make_reports(db, building(db))
    closed = contractor(db, active=False)
    response = operator.post("/interventions/new", data=plan_data(db, reports, contractor=str(closed)))
    assert response.status_code == 422
    assert "non è più una ditta attiva" in response.get_data(as_text=True)
    assert report_statuses(db, reports) == {"verified"}


def test_the_work_must_end_after_it_starts(operator, db):
    reports = make_reports(db, building(db))
    response = operator.post("/interventions/new", data=plan_data(db, reports, time_from="12:00", time_to="09:00"))
    assert response.status_code == 422
    assert report_statuses(db, reports) == {"verified"}


def test_reports_of_distant_buildings_need_a_confirmation(operator, db):
    here, far = building(db, "P-BLO"), building(db, "P-SFE")
    reports = make_reports(db, here, n=2) + make_reports(db, far, n=1)
    before = count(db, "interventions")
    response = operator.post("/interventions/new", data=plan_data(db, reports))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-testid="distant-warning"' in page and far["address"] in page
    assert count(db, "interventions") == before and report_statuses(db, reports) == {"verified"}
    response = operator.post("/interventions/new", data=plan_data(db, reports, confirm_distant="y"))
    assert response.status_code == 303
    row = next(db.query("SELECT * FROM interventions ORDER BY id DESC LIMIT 1"))
    assert (row["building_id"], row["distant_confirmed"]) == (here["id"], 1)
    assert report_statuses(db, reports) == {"planned"}


def test_reports_of_a_building_next_door_need_no_confirmation(operator, db):
    here = building(db)
    neighbour_id = db["buildings"].insert({
        "code": "BTEST-01", "address": "Via Demo Vicina 1", "quartiere_id": here["quartiere_id"],
        "presidio_code": "P-BLO", "lat": here["lat"] + 0.001, "lon": here["lon"], "owner": "comune"}).last_pk
    db.conn.commit()
    neighbour = next(db.query("SELECT * FROM buildings WHERE id = ?", [neighbour_id]))
    reports = make_reports(db, here, n=2) + make_reports(db, neighbour, n=1)
    intervention_id, _ = plan(operator, db, reports=reports)
    assert intervention(db, intervention_id)["distant_confirmed"] == 0


def test_a_report_already_planned_cannot_be_planned_again(operator, db):
    _first, reports = plan(operator, db)
    before = count(db, "interventions")
    response = operator.post("/interventions/new", data=plan_data(db, reports))
    assert response.status_code == 422
    assert "non è più verificata" in response.get_data(as_text=True)
    assert count(db, "interventions") == before


def test_the_same_planning_sent_twice_is_stored_once(operator, db):
    reports = make_reports(db, building(db))
    data = plan_data(db, reports, uuid=str(uuid_module.uuid4()))
    first = operator.post("/interventions/new", data=data)
    again = operator.post("/interventions/new", data=data)
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert next(db.query("SELECT COUNT(*) AS n FROM interventions WHERE uuid = ?", [data["uuid"]]))["n"] == 1


# --- the steps --------------------------------------------------------------------------

def test_steps_in_order_move_the_reports_along(operator, db):
    intervention_id, reports = plan(operator, db)
    assert operator.post(f"/interventions/{intervention_id}/notify", data={}).status_code == 303
    assert intervention(db, intervention_id)["status"] == "notified"
    assert report_statuses(db, reports) == {"planned"}
    assert operator.post(f"/interventions/{intervention_id}/start", data={}).status_code == 303
    assert report_statuses(db, reports) == {"in_progress"}
    response = operator.post(f"/interventions/{intervention_id}/done", data={
        "actual_cost": "512,30", "photos": [(io.BytesIO(photo_bytes()), "after.jpg")]},
        content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    row = intervention(db, intervention_id)
    assert (row["status"], row["actual_cost_cents"]) == ("done", 51230)
    assert row["notified_at"] <= row["started_at"] <= row["done_at"]
    assert report_statuses(db, reports) == {"resolved"}
    steps = [(e["from_status"], e["to_status"]) for e in db.query(
        "SELECT * FROM events WHERE entity = 'intervention' AND entity_id = ? ORDER BY id", [str(intervention_id)])]
    assert steps == [(None, "planned"), ("planned", "notified"), ("notified", "in_progress"), ("in_progress", "done")]
    report_history = [(e["from_status"], e["to_status"]) for e in db.query(
        "SELECT * FROM events WHERE entity = 'report' AND entity_id = ? ORDER BY id", [reports[0]])]
    assert report_history == [("verified", "planned"), ("planned", "in_progress"), ("in_progress", "resolved")]
    photos = list(db.query("SELECT role FROM photos WHERE owner = 'intervention' AND owner_id = ?",
                           [str(intervention_id)]))
    assert photos == [{"role": "after"}]


@pytest.mark.parametrize("step, status", [("start", "planned"), ("done", "planned"), ("done", "notified"),
                                          ("notify", "notified"), ("notify", "in_progress")])
def test_steps_out_of_order_are_refused_and_change_nothing(operator, db, step, status):
    intervention_id, reports = plan(operator, db)
    if status in ("notified", "in_progress"):
        operator.post(f"/interventions/{intervention_id}/notify", data={})
    if status == "in_progress":
        operator.post(f"/interventions/{intervention_id}/start", data={})
    before = (intervention(db, intervention_id), report_statuses(db, reports), count(db, "events"))
    data = {"actual_cost": "100", "photos": [(io.BytesIO(jpeg()), "after.jpg")]} if step == "done" else {}
    response = operator.post(f"/interventions/{intervention_id}/{step}", data=data, content_type="multipart/form-data")
    assert response.status_code == 409
    assert 'role="alert"' in response.get_data(as_text=True)
    assert (intervention(db, intervention_id), report_statuses(db, reports), count(db, "events")) == before


def test_done_needs_an_after_photo(operator, db):
    intervention_id, reports = plan(operator, db)
    to_in_progress(operator, intervention_id)
    response = operator.post(f"/interventions/{intervention_id}/done", data={"actual_cost": "300"})
    assert response.status_code == 422
    assert "Aggiungi almeno una foto scattata dopo i lavori" in response.get_data(as_text=True)
    # A "before" photo is not evidence that the work was done.
    operator.post(f"/interventions/{intervention_id}/photos", data={
        "role": "before", "photos": [(io.BytesIO(jpeg("blue")), "before.jpg")]}, content_type="multipart/form-data")
    response = operator.post(f"/interventions/{intervention_id}/done", data={"actual_cost": "300"})
    assert response.status_code == 422
    assert intervention(db, intervention_id)["status"] == "in_progress"
    assert report_statuses(db, reports) == {"in_progress"}


def test_an_after_photo_sent_earlier_is_enough_for_done(operator, db):
    intervention_id, reports = plan(operator, db)
    to_in_progress(operator, intervention_id)
    response = operator.post(f"/interventions/{intervention_id}/photos", data={
        "role": "after", "photos": [(io.BytesIO(jpeg("green")), "after.jpg")]}, content_type="multipart/form-data")
    assert response.status_code == 303
    assert operator.post(f"/interventions/{intervention_id}/done", data={"actual_cost": "0"}).status_code == 303
    assert report_statuses(db, reports) == {"resolved"}


@pytest.mark.parametrize("cost, message", [("", "Inserisci il costo effettivo dell'intervento."),
                                           ("-1", "Costo: deve essere tra 0 e 500.000 EUR, non -1")])
def test_done_needs_the_actual_cost(operator, db, cost, message):
    intervention_id, _ = plan(operator, db)
    to_in_progress(operator, intervention_id)
    photos_before = count(db, "photos")
    response = operator.post(f"/interventions/{intervention_id}/done", data={
        "actual_cost": cost, "photos": [(io.BytesIO(jpeg()), "after.jpg")]}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert intervention(db, intervention_id)["status"] == "in_progress"
    assert count(db, "photos") == photos_before  # the photo sent with the refused form is not kept


def test_a_file_that_is_not_a_photo_is_refused_with_nothing_stored(operator, db):
    intervention_id, _ = plan(operator, db)
    to_in_progress(operator, intervention_id)
    photos_before = count(db, "photos")
    response = operator.post(f"/interventions/{intervention_id}/done", data={
        "actual_cost": "10", "photos": [(io.BytesIO(b"not an image"), "after.jpg")]},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Foto 1 (after.jpg)" in response.get_data(as_text=True)
    assert (intervention(db, intervention_id)["status"], count(db, "photos")) == ("in_progress", photos_before)


def test_done_from_the_phone_outbox_counts_the_announced_photo(operator, db):
    """Through the outbox the form comes first and its photos follow, one by one, to /sync/photos."""
    intervention_id, reports = plan(operator, db)
    to_in_progress(operator, intervention_id)
    form_uuid, photo_uuid = str(uuid_module.uuid4()), str(uuid_module.uuid4())
    response = operator.post(f"/interventions/{intervention_id}/done", headers={"X-Cortile-Outbox": "1"}, data={
        "uuid": form_uuid, "actual_cost": "99", "photo_uuid": photo_uuid})
    assert response.status_code == 204
    assert report_statuses(db, reports) == {"resolved"}
    page = operator.get(f"/interventions/{intervention_id}").get_data(as_text=True)
    assert 'data-testid="photos-pending"' in page
    response = operator.post("/sync/photos", data={
        "uuid": photo_uuid, "owner": "intervention", "owner_id": form_uuid, "role": "after",
        "file": (io.BytesIO(photo_bytes()), "after.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_data(as_text=True)
    page = operator.get(f"/interventions/{intervention_id}").get_data(as_text=True)
    assert 'data-testid="photos-after"' in page and 'data-testid="photos-pending"' not in page


def test_a_tutor_cannot_send_photos_of_an_intervention(login, operator, db):
    intervention_id, _ = plan(operator, db)
    photos_before = count(db, "photos")
    response = login("tutor.loreto").post("/sync/photos", data={
        "uuid": str(uuid_module.uuid4()), "owner": "intervention", "owner_id": str(intervention_id), "role": "after",
        "file": (io.BytesIO(jpeg()), "after.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 403
    assert count(db, "photos") == photos_before


def test_the_same_done_sent_twice_is_stored_once(operator, db):
    intervention_id, _ = plan(operator, db)
    to_in_progress(operator, intervention_id)
    data = {"uuid": str(uuid_module.uuid4()), "actual_cost": "70", "photo_uuid": str(uuid_module.uuid4())}
    assert operator.post(f"/interventions/{intervention_id}/done", data=data).status_code == 303
    events = count(db, "events")
    assert operator.post(f"/interventions/{intervention_id}/done", data=data).status_code == 303
    assert count(db, "events") == events


def test_cancelling_gives_the_reports_back_as_verified(operator, db):
    intervention_id, reports = plan(operator, db)
    to_in_progress(operator, intervention_id)
    response = operator.post(f"/interventions/{intervention_id}/cancel", data={"reason": "Ditta non disponibile"})
    assert response.status_code == 303
    row = intervention(db, intervention_id)
    assert (row["status"], row["cancel_reason"]) == ("cancelled", "Ditta non disponibile")
    assert report_statuses(db, reports) == {"verified"}
    # Free again: another intervention can take them.
    second, _ = plan(operator, db, reports=reports)
    assert second != intervention_id and report_statuses(db, reports) == {"planned"}


def test_cancelling_needs_a_reason(operator, db):
    intervention_id, reports = plan(operator, db)
    response = operator.post(f"/interventions/{intervention_id}/cancel", data={"reason": " "})
    assert response.status_code == 422
    assert "Indica perché l'intervento viene annullato." in unescape(response.get_data(as_text=True))
    assert intervention(db, intervention_id)["status"] == "planned"


def test_a_done_intervention_cannot_be_cancelled(operator, db):
    intervention_id, reports = plan(operator, db)
    to_in_progress(operator, intervention_id)
    operator.post(f"/interventions/{intervention_id}/done", data={
        "actual_cost": "10", "photos": [(io.BytesIO(jpeg()), "a.jpg")]}, content_type="multipart/form-data")
    response = operator.post(f"/interventions/{intervention_id}/cancel", data={"reason": "ripensamento"})
    assert response.status_code == 409
    assert intervention(db, intervention_id)["status"] == "done"
    assert report_statuses(db, reports) == {"resolved"}


def test_before_photos_are_stored_once_when_sent_twice(operator, db):
    intervention_id, _ = plan(operator, db)
    form_uuid, photo_uuid = str(uuid_module.uuid4()), str(uuid_module.uuid4())
    for _ in range(2):
        response = operator.post(f"/interventions/{intervention_id}/photos", data={
            "uuid": form_uuid, "role": "before", "photo_uuid": photo_uuid,
            "photos": [(io.BytesIO(jpeg("blue")), "before.jpg")]}, content_type="multipart/form-data")
        assert response.status_code == 303
    rows = list(db.query("SELECT uuid, role FROM photos WHERE owner = 'intervention' AND owner_id = ?",
                         [str(intervention_id)]))
    assert rows == [{"uuid": photo_uuid, "role": "before"}]


# --- planning views ---------------------------------------------------------------------

def test_an_overdue_intervention_is_highlighted(operator, db):
    intervention_id, _ = plan(operator, db)
    db.execute("UPDATE interventions SET scheduled_on = ? WHERE id = ?",
               [(local_today() - timedelta(days=2)).isoformat(), intervention_id])
    db.conn.commit()
    listing = operator.get("/interventions/?overdue=1").get_data(as_text=True)
    assert f"/interventions/{intervention_id}\"" in listing and "record-overdue" in listing
    assert 'data-testid="overdue-alert"' in listing
    week = operator.get("/interventions/week").get_data(as_text=True)
    assert 'data-testid="overdue"' in week and f"/interventions/{intervention_id}\"" in week
    assert "In ritardo" in operator.get(f"/interventions/{intervention_id}").get_data(as_text=True)


def sign_in(app, username="operatore"):
    """A client signed in now, at the test's moment (a cached session cookie from another day would expire)."""
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": "demo-cortile"}).status_code == 302
    return client


def assert_early_start_needs_a_confirmation(operator, db):
    day = local_today() + timedelta(days=1)
    intervention_id, _ = plan(operator, db, scheduled_on=day.isoformat())
    assert operator.post(f"/interventions/{intervention_id}/notify", data={}).status_code == 303
    page = operator.get(f"/interventions/{intervention_id}").get_data(as_text=True)
    assert 'data-testid="confirm-early"' in page
    events = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    response = operator.post(f"/interventions/{intervention_id}/start", data={})
    assert response.status_code == 422
    assert "L'intervento è previsto per un giorno successivo" in unescape(response.get_data(as_text=True))
    assert intervention(db, intervention_id)["status"] == "notified"
    assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == events
    assert operator.post(f"/interventions/{intervention_id}/start", data={"confirm_early": "1"}).status_code == 303
    assert intervention(db, intervention_id)["status"] == "in_progress"


@pytest.mark.parametrize("moment", EDGE_MOMENTS, indirect=True, ids=str)
def test_the_week_and_an_early_start_on_every_edge_moment(app, db, moment):
    """The week holds the intervention on its day; starting it the day before asks for a confirmation."""
    operator = sign_in(app)
    day = local_today() + timedelta(days=3)
    intervention_id, _ = plan(operator, db, scheduled_on=day.isoformat())
    page = operator.get(f"/interventions/week?start={day.isoformat()}").get_data(as_text=True)
    assert page.count('class="week-day') == 7
    assert f"/interventions/{intervention_id}\"" in page
    for other_week in (day - timedelta(days=7), day + timedelta(days=7)):
        page = operator.get(f"/interventions/week?start={other_week.isoformat()}").get_data(as_text=True)
        assert f"/interventions/{intervention_id}\"" not in page
    assert_early_start_needs_a_confirmation(operator, db)


def test_the_contractor_page_lists_its_interventions(operator, login, db):
    intervention_id, _ = plan(operator, db)
    page = login("coordinatrice").get(f"/contractors/{contractor(db)}").get_data(as_text=True)
    assert f"/interventions/{intervention_id}\"" in page


def test_the_map_layer_has_the_open_interventions_on_their_buildings(operator, db):
    intervention_id, _ = plan(operator, db)
    data = operator.get("/interventions.geojson").get_json()
    feature = next(f for f in data["features"] if f["properties"]["id"] == intervention_id)
    here = building(db)
    assert feature["geometry"]["coordinates"] == [round(here["lon"], 6), round(here["lat"], 6)]
    assert feature["properties"]["status"] == "planned" and feature["properties"]["overdue"] is False
    assert all(f["properties"]["status"] in ("planned", "notified", "in_progress") for f in data["features"])


def test_the_map_page_reuses_the_maps_builder_with_its_own_csp(operator):
    response = operator.get("/interventions/map")
    assert response.status_code == 200
    assert "'sha256-" in response.headers["Content-Security-Policy"]
    page = response.get_data(as_text=True)
    assert 'data-interventions-geojson="/interventions.geojson"' in page and "js/interventions.js" in unhashed(page)


def test_the_building_page_shows_interventions_to_the_tutors_of_its_presidio(operator, login, db):
    intervention_id, _ = plan(operator, db)
    url = f"/buildings/{building(db)['id']}"
    assert f"/interventions/{intervention_id}\"" in login("tutor.loreto").get(url).get_data(as_text=True)
    other = login("tutor.centro").get(url).get_data(as_text=True)
    assert 'data-testid="building-interventions"' not in other


def test_a_tutor_reads_but_sees_no_buttons(operator, login, db):
    intervention_id, _ = plan(operator, db)
    page = login("tutor.loreto").get(f"/interventions/{intervention_id}").get_data(as_text=True)
    assert "/notify" not in page and "/cancel" not in page
    assert f"/interventions/{intervention_id}/notice" in page


# --- demo ---------------------------------------------------------------------------------

def test_demo_interventions_agree_with_their_reports(app):
    db = connect(app.config["DATABASE"])
    expected = {"planned": {"planned"}, "notified": {"planned"}, "in_progress": {"in_progress"},
                "done": {"resolved"}, "cancelled": {"verified"}}
    rows = list(db.query("""SELECT i.id, i.status, r.status AS report_status FROM interventions i
                            JOIN intervention_reports ir ON ir.intervention_id = i.id
                            JOIN reports r ON r.uuid = ir.report_uuid"""))
    assert len({r["id"] for r in rows}) >= 12
    assert {r["status"] for r in rows} == set(expected)
    assert all(r["report_status"] in expected[r["status"]] for r in rows)
    done_without_after = list(db.query("""SELECT id FROM interventions i WHERE status = 'done' AND NOT EXISTS
        (SELECT 1 FROM photos p WHERE p.owner = 'intervention' AND p.owner_id = CAST(i.id AS TEXT)
         AND p.role = 'after')"""))
    assert done_without_after == []
    assert next(db.query("SELECT COUNT(*) AS n FROM contractors WHERE active = 0"))["n"] >= 1
    db.close()
