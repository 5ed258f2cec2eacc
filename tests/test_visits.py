"""Home visits: the phone form, idempotent storage, validation, timeline, agenda, edits."""
import json
import re
import uuid as uuid_module
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from fieldapp.visits.forms import local_today
from tests.conftest import PINNED

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def login(login):
    """Signed-in clients reading English, so that messages compare with their ids."""

    def sign_in(username):
        client = login(username)
        client.post("/lang", data={"lang": "en"})
        return client

    return sign_in


def blo_household(db, arrears=False):
    """A P-BLO household, with or without arrears."""
    band = "!= 'none'" if arrears else "= 'none'"
    return next(db.query(
        "SELECT h.id, h.code, b.id AS building_id FROM households h JOIN units u ON u.id = h.unit_id "
        f"JOIN buildings b ON b.id = u.building_id WHERE b.presidio_code = 'P-BLO' AND h.arrears_band {band} "
        "ORDER BY h.id LIMIT 1"))


def user_id(db, username):
    return next(db.query("SELECT id FROM users WHERE username = ?", [username]))["id"]


def visit_form(db, uuid=None, **fields):
    """A valid visit submission with one follow-up due next week, assigned to tutor.loreto."""
    today = local_today()
    data = {
        "uuid": uuid or str(uuid_module.uuid4()),
        "client_created_at": "2025-03-01T10:00:00.000Z",
        "visit_date": today.isoformat(),
        "visit_time": "10:30",
        "kind": "monitoring",
        "present": ["leaseholder", "members"],
        "present_count": "2",
        "topics": ["damp", "common_areas"],
        "outcome": "held",
        "note": "Demo note: test entry.",
        "followups-0-action": "phone_call",
        "followups-0-due_on": (today + timedelta(days=7)).isoformat(),
        "followups-0-assignee": str(user_id(db, "tutor.loreto")),
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def visits_of(db, household_id):
    return list(db.query("SELECT * FROM visits WHERE household_id = ? ORDER BY created_at", [household_id]))


def count(db, table, where="1 = 1", params=()):
    return db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", list(params)).fetchone()[0]


# --- Logging a visit ---------------------------------------------------------------------------

def test_visit_form_is_prefilled_for_the_household(login, db):
    household = blo_household(db)
    page = login("tutor.loreto").get(f"/households/{household['id']}/visits/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert household["code"] in html
    assert 'data-outbox' in html and 'name="uuid" value=""' in html
    assert f'value="{local_today().isoformat()}"' in html
    assert "<details" in html  # the note starts collapsed


def test_tutor_logs_a_visit_with_a_followup(login, db):
    household = blo_household(db)
    data = visit_form(db)
    response = login("tutor.loreto").post(f"/households/{household['id']}/visits/new", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/visits/{data['uuid']}")
    visit = next(db.query("SELECT * FROM visits WHERE uuid = ?", [data["uuid"]]))
    assert visit["household_id"] == household["id"]
    assert visit["visited_at"] == f"{data['visit_date']}T10:30"
    assert json.loads(visit["present"]) == ["leaseholder", "members"]
    assert json.loads(visit["topics"]) == ["damp", "common_areas"]
    assert visit["created_by"] == user_id(db, "tutor.loreto")
    assert visit["client_created_at"] == data["client_created_at"]
    assert visit["version"] == 1 and visit["content_hash"]
    followup = next(db.query("SELECT * FROM followups WHERE visit_uuid = ?", [data["uuid"]]))
    assert (followup["action"], followup["due_on"], followup["status"]) == (
        "phone_call", data["followups-0-due_on"], "open")
    assert count(db, "events", "entity = 'followup' AND entity_id = ?", [followup["uuid"]]) == 1


def test_replayed_visit_is_stored_once(login, db):
    household = blo_household(db)
    client = login("tutor.loreto")
    data = visit_form(db)
    first = client.post(f"/households/{household['id']}/visits/new", data=data)
    again = client.post(f"/households/{household['id']}/visits/new", data=data)
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert count(db, "visits", "uuid = ?", [data["uuid"]]) == 1
    assert count(db, "followups", "visit_uuid = ?", [data["uuid"]]) == 1


def test_same_uuid_with_other_content_is_a_conflict(login, db):
    household = blo_household(db)
    client = login("tutor.loreto")
    data = visit_form(db)
    client.post(f"/households/{household['id']}/visits/new", data=data)
    response = client.post(f"/households/{household['id']}/visits/new", data={**data, "kind": "energy"})
    assert response.status_code == 409
    assert next(db.query("SELECT kind FROM visits WHERE uuid = ?", [data["uuid"]]))["kind"] == "monitoring"


def test_a_visit_says_how_long_it_took_and_its_replay_carries_it(login, db):
    """The duration is a plain field of the form: the outbox sends it like any other, the fingerprint holds it."""
    household = blo_household(db)
    client = login("tutor.loreto")
    url = f"/households/{household['id']}/visits/new"
    data = visit_form(db, duration_minutes="50")
    outbox = {"X-Cortile-Outbox": "1"}
    assert client.post(url, data=data, headers=outbox).status_code == 204
    assert client.post(url, data=data, headers=outbox).status_code == 204  # a replay: stored once
    assert client.post(url, data={**data, "duration_minutes": "55"}, headers=outbox).status_code == 409
    assert db.execute("SELECT duration_minutes FROM visits WHERE uuid = ?", [data["uuid"]]).fetchone()[0] == 50
    assert client.post(url, data=visit_form(db, duration_minutes="3")).status_code == 422
    # A visit sent without a duration (an outbox item from before the field) keeps its old fingerprint.
    plain = visit_form(db)
    client.post(url, data=plain)
    assert client.post(url, data=plain).status_code == 303
    assert db.execute("SELECT duration_minutes FROM visits WHERE uuid = ?", [plain["uuid"]]).fetchone()[0] is None


def test_visit_without_a_device_uuid_gets_one_from_the_server(login, db):
    household = blo_household(db)
    before = len(visits_of(db, household["id"]))
    response = login("tutor.loreto").post(f"/households/{household['id']}/visits/new", data=visit_form(db, uuid=""))
    assert response.status_code == 303
    stored = visits_of(db, household["id"])
    assert len(stored) == before + 1
    assert uuid_module.UUID(stored[-1]["uuid"])


def test_malformed_uuid_is_refused(login, db):
    household = blo_household(db)
    response = login("tutor.loreto").post(f"/households/{household['id']}/visits/new",
                                          data=visit_form(db, uuid="not-a-uuid"))
    assert response.status_code == 400
    assert count(db, "visits", "uuid = 'not-a-uuid'") == 0


def test_coordinator_can_log_a_visit(login, db):
    household = blo_household(db)
    data = visit_form(db)
    response = login("coordinatrice").post(f"/households/{household['id']}/visits/new", data=data)
    assert response.status_code == 303
    assert count(db, "visits", "uuid = ?", [data["uuid"]]) == 1


# --- Bad input: a clear message, nothing stored ----------------------------------------------------

TOMORROW = (PINNED.date() + timedelta(days=2)).isoformat()  # the tests' clock, not today


@pytest.mark.parametrize("fields, message", [
    ({"visit_date": TOMORROW}, "The visit cannot be in the future."),
    ({"visit_date": "2014-12-31"}, "before the service began"),
    ({"visit_date": "31/02/2025"}, "Enter a date as day, month and year."),
    ({"visit_time": "25:99"}, "Enter a time as hours and minutes."),
    ({"present_count": "-1"}, "How many people were present: must be from 0 to 20, not -1"),
    ({"present_count": "400"}, "How many people were present: must be from 0 to 20, not 400"),
    ({"present_count": "many"}, "How many people were present: “many” is not a number"),
    ({"note": "x" * 501}, "Keep the note within 500 characters."),
    ({"kind": "interrogation"}, "Choose one of the listed options."),
    ({"kind": None}, "Choose the kind of visit."),
    ({"outcome": "maybe"}, "Choose one of the listed options."),
    ({"topics": ["damp", "criminal_record"]}, "Unknown option: criminal_record."),
    ({"referrals": ["police"]}, "Unknown option: police."),
    ({"followups-0-due_on": "2000-01-01"}, "A follow-up cannot be due before the visit."),
    ({"followups-0-due_on": "2099-01-01"}, "Set a due date within two years of the visit."),
    ({"followups-0-due_on": ""}, "Set a due date for this follow-up."),
    ({"followups-0-action": "", "followups-0-due_on": TOMORROW}, "Choose what has to be done."),
    ({"followups-0-action": "burn_it"}, "Choose one of the listed options."),
    ({"followups-0-assignee": "999999"}, "Choose one of the listed options."),
])
def test_bad_visit_input_is_refused_with_a_message(login, db, fields, message):
    household = blo_household(db)
    data = visit_form(db, **fields)
    response = login("tutor.loreto").post(f"/households/{household['id']}/visits/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'role="alert"' in html
    assert message in html
    assert count(db, "visits", "uuid = ?", [data["uuid"]]) == 0
    assert count(db, "followups", "visit_uuid = ?", [data["uuid"]]) == 0


def test_followup_cannot_go_to_a_tutor_of_another_presidio(login, db):
    household = blo_household(db)
    data = visit_form(db, **{"followups-0-assignee": str(user_id(db, "tutor.centro"))})
    response = login("tutor.loreto").post(f"/households/{household['id']}/visits/new", data=data)
    assert response.status_code == 422
    assert count(db, "visits", "uuid = ?", [data["uuid"]]) == 0


def test_invalid_form_keeps_what_was_typed_and_its_uuid(login, db):
    household = blo_household(db)
    data = visit_form(db, note="x" * 600)
    html = login("tutor.loreto").post(f"/households/{household['id']}/visits/new", data=data).get_data(as_text=True)
    assert f'name="uuid" value="{data["uuid"]}"' in html
    assert 'value="damp" checked' in html
    assert "<details class=\"note-box mb-3\" open>" in html


def test_visit_to_a_household_of_another_presidio_is_not_found(login, db):
    household = blo_household(db)
    data = visit_form(db)
    response = login("tutor.centro").post(f"/households/{household['id']}/visits/new", data=data)
    assert response.status_code == 404
    assert count(db, "visits", "uuid = ?", [data["uuid"]]) == 0


def test_arrears_questions_only_for_households_with_arrears(login, db):
    client = login("tutor.loreto")
    with_arrears = blo_household(db, arrears=True)
    without = blo_household(db, arrears=False)
    # Until the arrears team's ledger has a household, the tutor answers the arrears questions
    # (afterwards the form shows the ledger's read-only view: tests/test_arrears.py).
    with db.conn:
        db.execute("DELETE FROM ledger_months WHERE household_id = ?", [with_arrears["id"]])
    assert 'name="repayment_plan"' in client.get(f"/households/{with_arrears['id']}/visits/new").get_data(as_text=True)
    assert 'name="repayment_plan"' not in client.get(f"/households/{without['id']}/visits/new").get_data(as_text=True)
    data = visit_form(db, arrears_trend="grown", repayment_plan="late")
    assert client.post(f"/households/{without['id']}/visits/new", data=data).status_code == 303
    stored = next(db.query("SELECT arrears_trend, repayment_plan FROM visits WHERE uuid = ?", [data["uuid"]]))
    assert stored == {"arrears_trend": None, "repayment_plan": None}
    data = visit_form(db, arrears_trend="grown", repayment_plan="late")
    assert client.post(f"/households/{with_arrears['id']}/visits/new", data=data).status_code == 303
    stored = next(db.query("SELECT arrears_trend, repayment_plan FROM visits WHERE uuid = ?", [data["uuid"]]))
    assert stored == {"arrears_trend": "grown", "repayment_plan": "late"}


def test_several_followups_are_stored_with_the_visit(login, db):
    household = blo_household(db)
    due = (local_today() + timedelta(days=3)).isoformat()
    data = visit_form(db, **{"followups-3-action": "revisit", "followups-3-due_on": due,
                             "followups-3-assignee": str(user_id(db, "tutor.loreto2"))})
    assert login("tutor.loreto").post(f"/households/{household['id']}/visits/new", data=data).status_code == 303
    rows = list(db.query("SELECT action, assignee_id FROM followups WHERE visit_uuid = ? ORDER BY due_on",
                         [data["uuid"]]))
    assert rows == [{"action": "revisit", "assignee_id": user_id(db, "tutor.loreto2")},
                    {"action": "phone_call", "assignee_id": user_id(db, "tutor.loreto")}]


# --- Timeline ----------------------------------------------------------------------------------

def audit_rows(db, action, target):
    return count(db, "audit_log", "action = ? AND target = ?", [action, target])


def test_reading_the_timeline_writes_an_audit_row(login, db):
    household = blo_household(db)
    client = login("tutor.loreto")
    assert audit_rows(db, "visit_history_read", household["code"]) == 0
    html = client.get(f"/households/{household['id']}").get_data(as_text=True)
    assert "Log a visit" in html
    assert audit_rows(db, "visit_history_read", household["code"]) == 1
    assert client.get(f"/households/{household['id']}/timeline").status_code == 200
    assert audit_rows(db, "visit_history_read", household["code"]) == 2


def test_timeline_lists_visits_and_followups_newest_first(login, db):
    household = blo_household(db)
    client = login("tutor.loreto")
    old = visit_form(db, visit_date=(local_today() - timedelta(days=30)).isoformat(), kind="energy",
                     **{"followups-0-action": "", "followups-0-due_on": ""})
    new = visit_form(db, kind="mediation", **{"followups-0-action": "documents"})
    for data in (old, new):
        assert client.post(f"/households/{household['id']}/visits/new", data=data).status_code == 303
    html = client.get(f"/households/{household['id']}/timeline").get_data(as_text=True)
    positions = [html.index(f"/visits/{new['uuid']}"), html.index(f"/visits/{old['uuid']}")]
    assert positions == sorted(positions)
    followup_at = html.index("Help with documents / ISEE") if "Help with documents / ISEE" in html else None
    assert followup_at is not None and followup_at < positions[0]  # due next week: on top


def test_timeline_shows_reports_on_the_building_once_the_table_exists(login, db):
    household = blo_household(db)
    if "reports" not in db.table_names():
        db.execute("CREATE TABLE reports (uuid TEXT PRIMARY KEY, building_id INTEGER, category TEXT, "
                   "common_area TEXT, status TEXT, created_at TEXT)")
    columns = {c.name: c for c in db["reports"].columns}
    row = {"uuid": str(uuid_module.uuid4()), "building_id": household["building_id"],
           "category": "zz_test_category", "area" if "area" in columns else "common_area": "cellars",
           "status": "new", "created_at": local_today().isoformat() + "T09:00:00Z",
           "created_by": user_id(db, "tutor.loreto")}
    for name, column in columns.items():
        if name not in row and column.notnull and column.default_value is None:
            row[name] = 0 if column.type.upper() in ("INTEGER", "REAL") else "building"
    db["reports"].insert({k: v for k, v in row.items() if k in columns})
    html = login("tutor.loreto").get(f"/households/{household['id']}/timeline").get_data(as_text=True)
    assert "Report on the building" in html and "zz_test_category" in html


def test_timeline_works_without_a_reports_table(login, db):
    household = blo_household(db)
    if "reports" in db.table_names():
        db.execute("ALTER TABLE reports RENAME TO reports_elsewhere")
    html = login("tutor.loreto").get(f"/households/{household['id']}/timeline").get_data(as_text=True)
    assert 'data-testid="timeline"' in html and "Report on the building" not in html


# --- Agenda ------------------------------------------------------------------------------------

def test_agenda_shows_the_presidio_overdue_followups_and_stale_households(login, db):
    html = login("tutor.loreto").get("/agenda?mine=0").get_data(as_text=True)
    overdue = next(db.query(
        """SELECT h.code FROM followups f JOIN households h ON h.id = f.household_id JOIN units u ON u.id = h.unit_id
           JOIN buildings b ON b.id = u.building_id WHERE b.presidio_code = 'P-BLO' AND f.status = 'open'
           AND f.due_on < ? ORDER BY f.due_on LIMIT 1""", [local_today().isoformat()]))["code"]
    assert 'data-testid="overdue"' in html and overdue in html
    assert 'data-testid="stale"' in html
    assert "DEMO-CEN-" not in html and "DEMO-PAG-" not in html


def test_agenda_uses_the_configured_staleness(app, login, db):
    app.config["VISIT_STALE_DAYS"] = 100000
    html = login("tutor.loreto").get("/agenda?mine=0").get_data(as_text=True)
    never = count(db, "households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id",
                  "b.presidio_code = 'P-BLO' AND h.id NOT IN (SELECT household_id FROM visits "
                  "WHERE outcome IN ('held', 'partial'))")
    assert re.search(rf'badge bg-secondary">{never}<', html)


def test_coordinator_sees_every_presidio_and_can_filter(login):
    client = login("coordinatrice")
    everything = client.get("/agenda").get_data(as_text=True)
    assert "DEMO-CEN-" in everything and "DEMO-BLO-" in everything
    filtered = client.get("/agenda?presidio=P-CEN").get_data(as_text=True)
    assert "DEMO-CEN-" in filtered and "DEMO-BLO-" not in filtered


def test_new_followup_appears_on_the_agenda(login, db):
    household = blo_household(db)
    client = login("tutor.loreto")
    data = visit_form(db)
    client.post(f"/households/{household['id']}/visits/new", data=data)
    followup = next(db.query("SELECT uuid FROM followups WHERE visit_uuid = ?", [data["uuid"]]))["uuid"]
    assert f'id="followup-{followup}"' in client.get("/agenda").get_data(as_text=True)


def open_followup(db):
    return next(db.query(
        """SELECT f.uuid FROM followups f JOIN households h ON h.id = f.household_id JOIN units u ON u.id = h.unit_id
           JOIN buildings b ON b.id = u.building_id WHERE b.presidio_code = 'P-BLO' AND f.status = 'open'
           ORDER BY f.due_on LIMIT 1"""))["uuid"]


def test_followup_marked_done_inline_offers_undo(login, db):
    uuid = open_followup(db)
    client = login("tutor.loreto")
    response = client.post(f"/followups/{uuid}/done", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith("<li") and f"/followups/{uuid}/reopen" in html
    assert next(db.query("SELECT status, done_by FROM followups WHERE uuid = ?", [uuid])) == {
        "status": "done", "done_by": user_id(db, "tutor.loreto")}
    undo = client.post(f"/followups/{uuid}/reopen", headers={"HX-Request": "true"})
    assert f"/followups/{uuid}/done" in undo.get_data(as_text=True)
    assert next(db.query("SELECT status, done_at FROM followups WHERE uuid = ?", [uuid])) == {
        "status": "open", "done_at": None}
    events = [(e["from_status"], e["to_status"]) for e in db.query(
        "SELECT * FROM events WHERE entity = 'followup' AND entity_id = ? AND at >= ("
        "SELECT MAX(at) FROM events WHERE entity = 'followup' AND entity_id = ? AND from_status IS NULL) ORDER BY id",
        [uuid, uuid])]
    assert events[-2:] == [("open", "done"), ("done", "open")]


def test_marking_done_twice_records_one_event(login, db):
    uuid = open_followup(db)
    client = login("tutor.loreto")
    before = count(db, "events", "entity_id = ?", [uuid])
    assert client.post(f"/followups/{uuid}/done", data={"next": "/agenda"}).status_code == 303
    assert client.post(f"/followups/{uuid}/done", data={"next": "/agenda"}).status_code == 303
    assert count(db, "events", "entity_id = ?", [uuid]) == before + 1


def test_marking_done_without_javascript_returns_to_a_local_page_only(login, db):
    response = login("tutor.loreto").post(f"/followups/{open_followup(db)}/done", data={"next": "//evil.example/"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/agenda")


# --- Edits -------------------------------------------------------------------------------------

def stored_visit(login, db):
    household = blo_household(db)
    data = visit_form(db)
    login("tutor.loreto").post(f"/households/{household['id']}/visits/new", data=data)
    return household, data


def edit_form(data, version, **fields):
    followup = {k: v for k, v in data.items() if k.startswith("followups-")}
    edit = {k: v for k, v in data.items() if k not in followup and k not in ("uuid", "client_created_at")}
    edit.update(followup)
    edit["version"] = str(version)
    edit.update(fields)
    return {k: v for k, v in edit.items() if v is not None}


def with_followup_uuids(db, data):
    rows = list(db.query("SELECT uuid FROM followups WHERE visit_uuid = ? AND status = 'open' ORDER BY due_on",
                         [data["uuid"]]))
    return {f"followups-{i}-uuid": row["uuid"] for i, row in enumerate(rows)}


def test_author_edits_a_visit_and_the_version_moves_on(login, db):
    _household, data = stored_visit(login, db)
    client = login("tutor.loreto")
    page = client.get(f"/visits/{data['uuid']}/edit")
    assert page.status_code == 200 and 'name="version" value="1"' in page.get_data(as_text=True)
    response = client.post(f"/visits/{data['uuid']}/edit",
                           data=edit_form(data, 1, kind="energy", **with_followup_uuids(db, data)))
    assert response.status_code == 303
    visit = next(db.query("SELECT kind, version, updated_by FROM visits WHERE uuid = ?", [data["uuid"]]))
    assert visit == {"kind": "energy", "version": 2, "updated_by": user_id(db, "tutor.loreto")}
    assert count(db, "followups", "visit_uuid = ? AND status = 'open'", [data["uuid"]]) == 1


def test_stale_edit_gets_409_and_shows_both_versions(login, db):
    _household, data = stored_visit(login, db)
    uuids = with_followup_uuids(db, data)
    assert login("coordinatrice").post(f"/visits/{data['uuid']}/edit",
                                       data=edit_form(data, 1, kind="energy", **uuids)).status_code == 303
    response = login("tutor.loreto").post(f"/visits/{data['uuid']}/edit",
                                          data=edit_form(data, 1, kind="mediation", **uuids))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'data-testid="conflict"' in html
    assert "Energy / heating" in html  # the saved version
    assert 'value="mediation" checked' in html  # the user's version, still in the form
    assert 'name="version" value="2"' in html  # saving now overwrites knowingly
    assert next(db.query("SELECT kind FROM visits WHERE uuid = ?", [data["uuid"]]))["kind"] == "energy"
    chosen = login("tutor.loreto").post(f"/visits/{data['uuid']}/edit",
                                        data=edit_form(data, 2, kind="mediation", **uuids))
    assert chosen.status_code == 303
    assert next(db.query("SELECT kind, version FROM visits WHERE uuid = ?", [data["uuid"]])) == {
        "kind": "mediation", "version": 3}


def test_replayed_edit_is_not_a_conflict(login, db):
    _household, data = stored_visit(login, db)
    client = login("tutor.loreto")
    edit = edit_form(data, 1, kind="energy", **with_followup_uuids(db, data))
    assert client.post(f"/visits/{data['uuid']}/edit", data=edit).status_code == 303
    assert client.post(f"/visits/{data['uuid']}/edit", data=edit).status_code == 303
    assert next(db.query("SELECT version FROM visits WHERE uuid = ?", [data["uuid"]]))["version"] == 2


def test_edit_can_cancel_and_add_followups(login, db):
    _household, data = stored_visit(login, db)
    old = with_followup_uuids(db, data)["followups-0-uuid"]
    due = (local_today() + timedelta(days=20)).isoformat()
    edit = edit_form(data, 1, **{"followups-0-action": "", "followups-0-due_on": "", "followups-0-uuid": old,
                                 "followups-1-action": "revisit", "followups-1-due_on": due,
                                 "followups-1-assignee": str(user_id(db, "tutor.loreto"))})
    assert login("tutor.loreto").post(f"/visits/{data['uuid']}/edit", data=edit).status_code == 303
    rows = {r["action"]: r["status"] for r in db.query("SELECT * FROM followups WHERE visit_uuid = ?", [data["uuid"]])}
    assert rows == {"phone_call": "cancelled", "revisit": "open"}
    assert count(db, "events", "entity_id = ? AND to_status = 'cancelled'", [old]) == 1


def test_edit_refuses_a_followup_of_another_visit(login, db):
    _household, data = stored_visit(login, db)
    edit = edit_form(data, 1, kind="energy", **{"followups-0-uuid": open_followup(db)})
    response = login("tutor.loreto").post(f"/visits/{data['uuid']}/edit", data=edit)
    assert response.status_code == 422
    assert next(db.query("SELECT version FROM visits WHERE uuid = ?", [data["uuid"]]))["version"] == 1


def test_edit_without_a_version_is_refused(login, db):
    _household, data = stored_visit(login, db)
    edit = edit_form(data, 1, kind="energy")
    del edit["version"]
    assert login("tutor.loreto").post(f"/visits/{data['uuid']}/edit", data=edit).status_code == 400


def test_invalid_edit_changes_nothing(login, db):
    _household, data = stored_visit(login, db)
    edit = edit_form(data, 1, visit_date=TOMORROW, **with_followup_uuids(db, data))
    response = login("tutor.loreto").post(f"/visits/{data['uuid']}/edit", data=edit)
    assert response.status_code == 422
    assert next(db.query("SELECT visited_at, version FROM visits WHERE uuid = ?", [data["uuid"]]))["version"] == 1


# --- Demo data and language -------------------------------------------------------------------------

def test_demo_has_overdue_followups_and_households_not_visited_for_long(db):
    today = local_today().isoformat()
    assert count(db, "followups", "status = 'open' AND due_on < ?", [today]) > 0
    cutoff = (local_today() - timedelta(days=90)).isoformat()
    stale = count(db, "(SELECT household_id, MAX(visited_at) AS last FROM visits GROUP BY household_id)",
                  "last < ?", [cutoff])
    assert stale > 0
    names = {row["display_name"] for row in db.query("SELECT display_name FROM users")}
    notes = {row["note"] for row in db.query("SELECT DISTINCT note FROM visits WHERE note IS NOT NULL")}
    assert all(note.startswith("Nota demo:") for note in notes)
    assert not any(name in note for name in names for note in notes)


def messages_used(paths):
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for path in paths:
        method = "python" if path.suffix == ".py" else "jinja2"
        options = {"extensions": "jinja2.ext.do"} if method == "jinja2" else {}
        for _line, message, _comments, _context in extract_from_file(method, path, keywords=keywords,
                                                                      options=options):
            found.add(message if isinstance(message, str) else message[0])
    return found


def italian(name):
    with open(ROOT / "translations" / "it" / "LC_MESSAGES" / name, "rb") as f:
        return {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in read_po(f) if m.id}


def test_every_visit_message_has_an_italian_translation():
    paths = sorted((ROOT / "fieldapp" / "visits").glob("*.py")) + sorted((ROOT / "templates" / "visits").glob("*.html"))
    catalogue = italian("visits.po")
    missing = sorted(m for m in messages_used(paths) if not catalogue.get(m))
    assert missing == []


def test_visit_form_speaks_italian_by_default(app, db):
    client = app.test_client()
    client.post("/login", data={"username": "tutor.loreto", "password": "demo-cortile"})
    household = blo_household(db, arrears=True)
    html = client.get(f"/households/{household['id']}/visits/new").get_data(as_text=True)
    for words in ("Nuova visita", "Tipo di visita", "Piano di rientro", "Aggiungi una nota breve", "Salva la visita"):
        assert words in html
    assert "Registra una visita" in client.get(f"/households/{household['id']}").get_data(as_text=True)


def test_a_saved_visit_lists_its_follow_ups_once(login, db):
    visit = next(db.query(
        """SELECT v.uuid FROM visits v JOIN households h ON h.id = v.household_id JOIN units u ON u.id = h.unit_id
           JOIN buildings b ON b.id = u.building_id JOIN followups f ON f.visit_uuid = v.uuid
           WHERE b.presidio_code = 'P-BLO' AND f.status = 'open' LIMIT 1"""))
    page = login("tutor.loreto").get(f"/visits/{visit['uuid']}").get_data(as_text=True)
    assert page.count(">Follow-ups<") == 1  # this module reads English
