"""Community pacts through the HTTP client: the record, the status ladder, activities by their own date, indicators."""
import io
import re
import uuid as uuid_module
import zlib
from datetime import timedelta

import pytest
from PIL import Image

from fieldapp.assets import unhashed
from fieldapp.clock import local_today

PATRIOTI = (45.1478, 10.0372)


def count(db, table):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def pact_form(**changes):
    data = {"kind": "care", "place_kind": "point", "place_name": "Giardino di prova", "lat": str(PATRIOTI[0]),
            "lon": str(PATRIOTI[1]), "office": "quartieri_beni_comuni", "signatories": "8",
            "proposed_on": (local_today() - timedelta(days=60)).isoformat()}
    data.update(changes)
    return data


@pytest.fixture
def manager(login):
    return login("community")


@pytest.fixture
def pact_id(manager):
    response = manager.post("/pacts/new", data=pact_form())
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def step(client, pact_id, status, on):
    return client.post(f"/pacts/{pact_id}/status", data={"to_status": status, "on": on.isoformat()})


def activity(**changes):
    data = {"uuid": str(uuid_module.uuid4()), "held_on": (local_today() - timedelta(days=5)).isoformat(),
            "volunteers": "6", "person_hours": "12.5", "note": "Pulizia e potatura"}
    data.update(changes)
    return data


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "green").save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_pact_on_a_map_point_belongs_to_the_nearest_buildings_quartiere_and_presidio(manager, db, pact_id):
    pact = next(db.query("SELECT * FROM pacts WHERE id = ?", [pact_id]))
    assert (pact["quartiere_id"], pact["presidio_code"], pact["status"]) == (5, "P-BLO", "proposal")
    assert pact["signatories"] == 8  # a count: no column holds a signatory


@pytest.mark.parametrize("changes, message", [
    ({"office": ""}, "Scegli l’ufficio comunale che firma il patto."),
    ({"place_name": ""}, "Indica il nome del luogo"),
    ({"place_kind": "building", "building": "", "common_area": "green"}, "Scegli lo stabile."),
])
def test_a_bad_pact_is_refused_and_nothing_is_stored(manager, db, changes, message):
    before = count(db, "pacts")
    response = manager.post("/pacts/new", data=pact_form(**changes))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(db, "pacts") == before


def test_the_status_ladder_keeps_its_history_and_refuses_jumps(manager, db, pact_id):
    today = local_today()
    assert step(manager, pact_id, "active", today).status_code == 409  # proposal cannot skip to active
    for status in ("review", "signed", "active", "check"):
        assert step(manager, pact_id, status, today - timedelta(days=10)).status_code == 303, status
    renewal = {"to_status": "renewed", "on": (today - timedelta(days=10)).isoformat()}
    assert manager.post(f"/pacts/{pact_id}/status", data=renewal).status_code == 422  # a renewal needs its new end
    renewal["ends_on"] = (today + timedelta(days=365)).isoformat()
    assert manager.post(f"/pacts/{pact_id}/status", data=renewal).status_code == 303
    assert db.execute("SELECT ends_on FROM pacts WHERE id = ?", [pact_id]).fetchone()[0] == renewal["ends_on"]
    history = [(e["from_status"], e["to_status"]) for e in db.query(
        "SELECT * FROM events WHERE entity = 'pact' AND entity_id = ? ORDER BY id", [str(pact_id)])]
    assert history == [(None, "proposal"), ("proposal", "review"), ("review", "signed"), ("signed", "active"),
                       ("active", "check"), ("check", "renewed")]
    assert db.execute("SELECT signed_on FROM pacts WHERE id = ?", [pact_id]).fetchone()[0] == \
        (today - timedelta(days=10)).isoformat()


def test_volunteers_below_zero_are_refused(manager, db, pact_id):
    before = count(db, "pact_activities")
    response = manager.post(f"/pacts/{pact_id}/activities/new", data=activity(volunteers="-1"))
    assert response.status_code == 422
    assert "Volontari: deve essere tra 0 e 500, non -1" in response.get_data(as_text=True)
    assert count(db, "pact_activities") == before


def test_an_activity_is_judged_by_its_own_date_against_the_close(manager, db, pact_id):
    closed_on = local_today() - timedelta(days=3)
    for status in ("review", "signed", "active", "check", "closed"):
        assert step(manager, pact_id, status, closed_on).status_code == 303
    after = manager.post(f"/pacts/{pact_id}/activities/new", data=activity(held_on=local_today().isoformat()))
    assert after.status_code == 422 and "Il patto si è concluso il" in after.get_data(as_text=True)
    # An activity of the week before, sent late by a phone that was offline: still part of the pact.
    earlier = activity(held_on=(closed_on - timedelta(days=4)).isoformat())
    late = manager.post(f"/pacts/{pact_id}/activities/new", data=earlier, headers={"X-Cortile-Outbox": "replay"})
    assert late.status_code == 204
    assert db.execute("SELECT count(*) FROM pact_activities WHERE pact_id = ?", [pact_id]).fetchone()[0] == 1


def test_an_activity_with_a_photo_is_stored_once_with_its_photo(manager, db, pact_id):
    data = activity()
    photo_uuid = str(uuid_module.uuid4())
    url = f"/pacts/{pact_id}/activities/new"
    # The outbox sends the form first (announcing the photo), then the photo to /sync/photos.
    announced = {**data, "photo_uuid": photo_uuid}
    assert manager.post(url, data=announced, headers={"X-Cortile-Outbox": "1"}).status_code == 204
    assert manager.post(url, data=announced, headers={"X-Cortile-Outbox": "replay"}).status_code == 204
    sent = manager.post("/sync/photos", data={"uuid": photo_uuid, "owner": "pact_activity", "owner_id": data["uuid"],
                                              "file": (io.BytesIO(jpeg()), "posto.jpg")})
    assert sent.status_code == 201, sent.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM pact_activities WHERE uuid = ?", [data["uuid"]]).fetchone()[0] == 1
    assert db.execute("SELECT owner, owner_id FROM photos WHERE uuid = ?", [photo_uuid]).fetchone() == \
        ("pact_activity", data["uuid"])
    page = manager.get(f"/pacts/{pact_id}").get_data(as_text=True)
    assert f"/pacts/photos/{photo_uuid}" in page
    assert manager.get(f"/pacts/photos/{photo_uuid}").mimetype == "image/jpeg"


def test_only_the_community_manager_adds_photos_to_an_activity(manager, login, db, pact_id):
    data = activity()
    manager.post(f"/pacts/{pact_id}/activities/new", data=data)
    sent = login("tutor.loreto").post("/sync/photos", data={
        "uuid": str(uuid_module.uuid4()), "owner": "pact_activity", "owner_id": data["uuid"],
        "file": (io.BytesIO(jpeg()), "posto.jpg")})
    assert sent.status_code == 403


def test_the_printable_pact_is_an_italian_pdf_with_its_commitments(manager, db, pact_id):
    manager.post(f"/pacts/{pact_id}/commitments", data={"side": "municipality", "role": "Ufficio Quartieri",
                                                        "action": "Assicurazione dei volontari",
                                                        "frequency": "ongoing"})
    response = manager.get(f"/pacts/{pact_id}/pact.pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    text = b"".join(zlib.decompress(s) for s in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", response.data, re.S)
                    if s[:1] == b"x").decode("latin-1")
    for words in ("Patto di collaborazione", "Assicurazione dei volontari", "Parte del Comune", "Numero di firmatari"):
        assert words in text


def test_indicators_count_running_pacts_renewals_and_reports_near_the_place(manager, db):
    page = manager.get("/pacts/indicators").get_data(as_text=True)
    assert re.search(r'data-testid="active-pacts">2<', page)  # Piazza dei Patrioti (active), Pagliari (renewed)
    patrioti = next(db.query("SELECT * FROM pacts WHERE place_name = 'Piazza dei Patrioti'"))
    building = next(db.query("SELECT id FROM buildings WHERE presidio_code = 'P-BLO' LIMIT 1"))["id"]
    # Two reports a few metres from the square: one before it was signed, one after.
    for days, uuid in ((-30, str(uuid_module.uuid4())), (30, str(uuid_module.uuid4()))):
        day = (local_today().fromisoformat(patrioti["signed_on"]) + timedelta(days=days)).isoformat()
        db["reports"].insert({"uuid": uuid, "building_id": building, "area": "green", "category": "waste",
                              "severity": "low", "lat": patrioti["lat"] + 0.0002, "lon": patrioti["lon"],
                              "location_source": "device", "created_at": f"{day}T09:00:00Z", "created_by": 1})
    page = manager.get("/pacts/indicators").get_data(as_text=True)
    row = re.search(r"Piazza dei Patrioti</a></td><td>[^<]*</td><td>(\d+)</td><td>(\d+)</td>", page)
    assert row and int(row.group(1)) >= 1 and int(row.group(2)) >= 1


def test_the_map_shows_running_pacts_with_local_leaflet_only(login, db):
    response = login("tutor.loreto").get("/pacts/map")
    page = response.get_data(as_text=True)
    assert "Piazza dei Patrioti" in page and "Largo Pagliari" not in page  # the tutor's presidio only
    assert "/static/vendor/leaflet/leaflet.js" in unhashed(page)
    assert "cdn" not in page.lower() and "unpkg" not in page
    assert "sha256-" in response.headers["Content-Security-Policy"]


def test_the_photo_owner_migration_keeps_every_photo_and_admits_only_known_owners(db):
    assert db.execute("SELECT count(*) FROM photos WHERE owner = 'intervention'").fetchone()[0] > 0  # demo photos kept
    indexes = {row[0]
               for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'photos'")}
    assert {"photos_owner", "photos_sha256"} <= indexes
    row = {"sha256": "0" * 64, "owner_id": "x", "role": "report", "created_at": "2026-11-18T09:00:00Z", "version": 1}
    db["photos"].insert({"uuid": "11111111-1111-4111-8111-111111111111", "owner": "pact_activity", **row})
    with pytest.raises(Exception, match="CHECK"):
        db["photos"].insert({"uuid": "22222222-2222-4222-8222-222222222222", "owner": "somebody", **row})


def test_a_building_page_shows_the_pacts_of_its_common_areas(login, db):
    pact = next(db.query("SELECT * FROM pacts WHERE place_kind = 'building'"))
    page = login("community").get(f"/buildings/{pact['building_id']}").get_data(as_text=True)
    assert pact["place_name"] in page and "Rinnovato" in page
    other = login("tutor.loreto").get(f"/buildings/{pact['building_id']}")
    assert other.status_code == 404 or pact["place_name"] not in other.get_data(as_text=True)


def test_pacts_in_force_are_counted_the_same_on_the_pacts_page_and_in_the_indicator(app, manager, db):
    from fieldapp.indicators import periods
    from fieldapp.indicators.registry import indicators

    page = manager.get("/pacts/indicators").get_data(as_text=True)
    shown = int(re.search(r'data-testid="active-pacts">(\d+)<', page)[1])
    with app.test_request_context():
        today = local_today()
        in_force = indicators()["pacts.in_force"]
        assert in_force.value(periods.span(today, today + timedelta(days=1)))[None] == shown == 2
        assert in_force.value(periods.parse("2026-11"))[None] == 2
    # The renewed pact recorded its new end: no activity of it falls after its end date.
    renewed = next(db.query("SELECT * FROM pacts WHERE status = 'renewed'"))
    last = db.execute("SELECT max(held_on) FROM pact_activities WHERE pact_id = ?", [renewed["id"]]).fetchone()[0]
    assert last <= renewed["ends_on"]
