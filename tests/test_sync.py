"""The sync protocol through the HTTP client: the uuid as idempotency key of every field form,
photo uploads one by one, the working-set manifest, and how outbox posts are acknowledged."""
import io
import uuid as uuid_module

import pytest
from PIL import Image

from fieldapp.clock import local_today
from tests.conftest import PHOTOS

LANDSCAPE_6 = PHOTOS / "orientation" / "landscape_6.jpg"  # a landscape stored sideways: EXIF says turn it
GPS_PHOTO = PHOTOS / "gps" / "DSCN0010.jpg"


def new_uuid():
    return str(uuid_module.uuid4())


def household(db, presidio="P-BLO"):
    return next(db.query(
        "SELECT h.id FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id "
        "WHERE b.presidio_code = ? AND h.active = 1 ORDER BY h.id LIMIT 1", [presidio]))["id"]


def building(db, presidio="P-BLO"):
    return next(db.query("SELECT id FROM buildings WHERE presidio_code = ? ORDER BY id LIMIT 1", [presidio]))["id"]


def rows(db, table, uuid):
    return db.execute(f"SELECT COUNT(*) FROM [{table}] WHERE uuid = ?", [uuid]).fetchone()[0]


def visit_form(uuid, note="Ok", followup=False):
    data = {"uuid": uuid, "client_created_at": "2026-11-25T09:00:00Z", "visit_date": local_today().isoformat(),
            "visit_time": "09:30", "kind": "monitoring", "present_count": "2", "outcome": "held", "note": note,
            "followups-0-action": "", "followups-0-due_on": "", "followups-0-assignee": ""}
    if followup:
        data.update({"followups-0-action": FOLLOWUP_ACTION, "followups-0-due_on": local_today().isoformat()})
    return data


def first_followup_action():
    from fieldapp.visits.vocab import FOLLOWUP_ACTIONS

    return next(iter(FOLLOWUP_ACTIONS))


FOLLOWUP_ACTION = first_followup_action()


def report_form(db, uuid, photo_uuids=(), description="Rifiuti davanti alle cantine"):
    return {"uuid": uuid, "client_created_at": "2026-11-25T09:00:00Z", "building": str(building(db)),
            "area": "cellars", "category": "waste", "severity": "moderate", "description": description,
            "photo_uuid": list(photo_uuids)}


# --- the uuid is the idempotency key of every field form -------------------------------------

def test_replayed_visit_is_stored_once(login, db):
    client, household_id, uuid = login("tutor.loreto"), household(db), new_uuid()
    url = f"/households/{household_id}/visits/new"
    first = client.post(url, data=visit_form(uuid))
    again = client.post(url, data=visit_form(uuid))
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"] == f"/visits/{uuid}"
    assert rows(db, "visits", uuid) == 1


def test_visit_with_other_content_under_a_used_uuid_is_a_conflict(login, db):
    client, household_id, uuid = login("tutor.loreto"), household(db), new_uuid()
    url = f"/households/{household_id}/visits/new"
    assert client.post(url, data=visit_form(uuid, note="First")).status_code == 303
    assert client.post(url, data=visit_form(uuid, note="Something else")).status_code == 409
    assert db.execute("SELECT note FROM visits WHERE uuid = ?", [uuid]).fetchone()[0] == "First"


def test_replayed_visit_keeps_one_follow_up(login, db):
    client, household_id, uuid = login("tutor.loreto"), household(db), new_uuid()
    url = f"/households/{household_id}/visits/new"
    data = visit_form(uuid, followup=True)
    data["followups-0-assignee"] = str(db.execute("SELECT id FROM users WHERE username = 'tutor.loreto'").fetchone()[0])
    assert client.post(url, data=data).status_code == 303
    assert client.post(url, data=data).status_code == 303
    assert db.execute("SELECT COUNT(*) FROM followups WHERE visit_uuid = ?", [uuid]).fetchone()[0] == 1


def test_follow_up_marked_done_twice_moves_once(login, db):
    client, household_id, uuid = login("tutor.loreto"), household(db), new_uuid()
    data = visit_form(uuid, followup=True)
    data["followups-0-assignee"] = str(db.execute("SELECT id FROM users WHERE username = 'tutor.loreto'").fetchone()[0])
    client.post(f"/households/{household_id}/visits/new", data=data)
    followup = db.execute("SELECT uuid FROM followups WHERE visit_uuid = ?", [uuid]).fetchone()[0]
    events = "SELECT COUNT(*) FROM events WHERE entity = 'followup' AND entity_id = ?"
    assert client.post(f"/followups/{followup}/done").status_code == 303
    after_first = db.execute(events, [followup]).fetchone()[0]
    assert client.post(f"/followups/{followup}/done").status_code == 303
    assert db.execute(events, [followup]).fetchone()[0] == after_first
    assert db.execute("SELECT status FROM followups WHERE uuid = ?", [followup]).fetchone()[0] == "done"


def test_replayed_report_is_stored_once(login, db):
    client, uuid, photo = login("tutor.loreto"), new_uuid(), new_uuid()
    first = client.post("/reports/new", data=report_form(db, uuid, [photo]))
    again = client.post("/reports/new", data=report_form(db, uuid, [photo]))
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"] == f"/reports/{uuid}"
    assert rows(db, "reports", uuid) == 1
    assert db.execute("SELECT expected_photos FROM reports WHERE uuid = ?", [uuid]).fetchone()[0] == 1


def test_report_with_other_content_under_a_used_uuid_is_a_conflict(login, db):
    client, uuid = login("tutor.loreto"), new_uuid()
    assert client.post("/reports/new", data=report_form(db, uuid)).status_code == 303
    assert client.post("/reports/new", data=report_form(db, uuid, description="Altro")).status_code == 409
    assert rows(db, "reports", uuid) == 1


def meeting_form(uuid, summary="Assemblea sul cortile"):
    return {"uuid": uuid, "client_created_at": "2026-11-25T18:00:00Z", "context": "borgo_loreto",
            "held_on": local_today().isoformat(), "start_time": "17:30", "duration_minutes": "90",
            "place": "Presidio Borgo Loreto", "kind": "assembly", "participants_public_housing": "12",
            "summary": summary, "steps-0-action": "", "steps-0-due_on": ""}


def test_replayed_meeting_is_stored_once(login, db):
    client, uuid = login("community"), new_uuid()
    first = client.post("/meetings/new", data=meeting_form(uuid))
    again = client.post("/meetings/new", data=meeting_form(uuid))
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"] == f"/meetings/{uuid}"
    assert rows(db, "meetings", uuid) == 1


def test_meeting_with_other_content_under_a_used_uuid_is_a_conflict(login, db):
    client, uuid = login("community"), new_uuid()
    assert client.post("/meetings/new", data=meeting_form(uuid)).status_code == 303
    assert client.post("/meetings/new", data=meeting_form(uuid, summary="Un altro incontro")).status_code == 409
    assert rows(db, "meetings", uuid) == 1


def test_replayed_intervention_step_is_stored_once(login, db):
    client, uuid = login("operatore"), new_uuid()
    intervention = next(db.query("SELECT id FROM interventions WHERE status = 'planned' ORDER BY id LIMIT 1"))["id"]
    url = f"/interventions/{intervention}/cancel"
    data = {"uuid": uuid, "client_created_at": "2026-11-25T08:00:00Z", "reason": "La ditta non è disponibile"}
    assert client.post(url, data=data).status_code == 303
    assert client.post(url, data=data).status_code == 303
    assert rows(db, "intervention_updates", uuid) == 1
    assert client.post(url, data={**data, "reason": "Un altro motivo"}).status_code == 409


# --- outbox posts are acknowledged without a redirect ----------------------------------------

def test_outbox_post_is_acknowledged_with_the_record_location(login, db):
    client, household_id, uuid = login("tutor.loreto"), household(db), new_uuid()
    response = client.post(f"/households/{household_id}/visits/new", data=visit_form(uuid),
                           headers={"X-Cortile-Outbox": "1"})
    assert response.status_code == 204
    assert response.headers["X-Cortile-Location"] == f"/visits/{uuid}"
    assert "Location" not in response.headers
    # Someone is waiting for it: the confirmation shows on the page they go to.
    assert 'class="alert alert-success"' in client.get(f"/visits/{uuid}").get_data(as_text=True)


def test_background_replay_leaves_no_confirmations_behind(login, db):
    client, household_id = login("tutor.loreto"), household(db)
    for _ in range(3):
        response = client.post(f"/households/{household_id}/visits/new", data=visit_form(new_uuid()),
                               headers={"X-Cortile-Outbox": "replay"})
        assert response.status_code == 204
    with client.session_transaction() as session:
        assert not session.get("_flashes")


def test_outbox_post_with_errors_still_gets_the_form_back(login, db):
    client, household_id = login("tutor.loreto"), household(db)
    data = {**visit_form(new_uuid()), "visit_date": "not a date"}
    response = client.post(f"/households/{household_id}/visits/new", data=data, headers={"X-Cortile-Outbox": "1"})
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)


def test_outbox_post_without_session_gets_401_not_a_login_page(client, db):
    response = client.post(f"/households/{household(db)}/visits/new", data=visit_form(new_uuid()),
                           headers={"X-Cortile-Outbox": "replay"})
    assert response.status_code == 401


# --- /sync/token ------------------------------------------------------------------------------

def test_token_is_fresh_and_names_the_user(login, db):
    response = login("tutor.loreto").get("/sync/token")
    assert response.status_code == 200 and "private" in response.headers["Cache-Control"]
    assert response.json["csrf_token"]
    assert response.json["user"] == db.execute("SELECT id FROM users WHERE username = 'tutor.loreto'").fetchone()[0]


def test_token_without_session_is_401_json(client):
    response = client.get("/sync/token")
    assert response.status_code == 401 and response.is_json


# --- /sync/photos -----------------------------------------------------------------------------

def a_report(client, db, photo_uuids=()):
    uuid = new_uuid()
    assert client.post("/reports/new", data=report_form(db, uuid, photo_uuids)).status_code == 303
    return uuid


def upload(client, report_uuid, photo_uuid, path=LANDSCAPE_6, data=None, owner="report", role="report"):
    body = {"uuid": photo_uuid, "owner": owner, "owner_id": report_uuid, "role": role,
            "client_created_at": "2026-11-25T09:01:00Z",
            "file": (io.BytesIO(data if data is not None else path.read_bytes()), "photo.jpg")}
    return client.post("/sync/photos", data=body, content_type="multipart/form-data")


def test_photo_is_stored_upright_then_recognised_as_a_duplicate(login, db, app):
    client, photo = login("tutor.loreto"), new_uuid()
    report = a_report(client, db, [photo])
    first = upload(client, report, photo)
    assert first.status_code == 201
    assert first.json == {"status": "stored", "uuid": photo, "sha256": first.json["sha256"]}
    again = upload(client, report, photo)
    assert again.status_code == 200 and again.json["status"] == "duplicate"
    stored = db.execute("SELECT owner, owner_id, width, height, created_by FROM photos WHERE uuid = ?",
                        [photo]).fetchall()
    assert len(stored) == 1
    owner, owner_id, width, height, _by = stored[0]
    assert (owner, owner_id) == ("report", report)
    with Image.open(LANDSCAPE_6) as original:
        assert original.width < original.height  # a landscape scene stored sideways, with an EXIF rotation
    assert width > height  # upright after the pipeline


def an_intervention(db):
    return next(db.query("SELECT id, uuid FROM interventions ORDER BY id LIMIT 1"))


def test_operator_adds_an_after_photo_to_an_intervention_named_by_uuid(login, db):
    intervention, photo = an_intervention(db), new_uuid()
    response = upload(login("operatore"), intervention["uuid"], photo, path=GPS_PHOTO, owner="intervention",
                      role="after")
    assert response.status_code == 201
    stored = db.execute("SELECT owner, owner_id, role FROM photos WHERE uuid = ?", [photo]).fetchone()
    assert tuple(stored) == ("intervention", str(intervention["id"]), "after")  # named by its id, always


def test_only_the_operator_adds_intervention_photos(login, db):
    response = upload(login("coordinatrice"), str(an_intervention(db)["id"]), new_uuid(), owner="intervention",
                      role="before")
    assert response.status_code == 403 and response.json["error"] == "forbidden"


def test_photo_uuid_holding_another_photo_is_a_conflict(login, db):
    client, photo = login("tutor.loreto"), new_uuid()
    report = a_report(client, db, [photo])
    assert upload(client, report, photo).status_code == 201
    response = upload(client, report, photo, path=GPS_PHOTO)
    assert response.status_code == 409 and response.json["error"] == "conflict"


def test_not_an_image_is_refused_with_a_code_and_an_english_message(login, db):
    client = login("tutor.loreto")
    report = a_report(client, db)
    response = upload(client, report, new_uuid(), data=b"%PDF-1.4 not a photo")
    assert response.status_code == 422
    assert response.json["error"] == "not_an_image" and "not an image" in response.json["message"]


def test_photo_over_the_size_limit_is_413(login, db, app):
    app.config["PHOTO_MAX_BYTES"] = 1000
    client = login("tutor.loreto")
    report = a_report(client, db)
    response = upload(client, report, new_uuid())
    assert response.status_code == 413 and response.json["error"] == "too_large"


def test_photo_for_a_report_of_another_presidio_is_not_found(login, db):
    report = a_report(login("tutor.loreto"), db)
    response = upload(login("tutor.centro"), report, new_uuid())
    assert response.status_code == 404 and response.json["error"] == "owner_not_found"
    assert db.execute("SELECT COUNT(*) FROM photos WHERE owner_id = ?", [report]).fetchone()[0] == 0


def test_photo_for_a_missing_report_is_not_found(login):
    response = upload(login("tutor.loreto"), new_uuid(), new_uuid())
    assert response.status_code == 404 and response.json["error"] == "owner_not_found"


@pytest.mark.parametrize("change, code", [
    ({"uuid": "not-a-uuid"}, "bad_uuid"),
    ({"owner": "household"}, "bad_owner"),
    ({"role": "selfie"}, "bad_owner"),
])
def test_malformed_photo_upload_is_400(login, db, change, code):
    client = login("tutor.loreto")
    report = a_report(client, db)
    body = {"uuid": new_uuid(), "owner": "report", "owner_id": report, "role": "report",
            "file": (io.BytesIO(LANDSCAPE_6.read_bytes()), "p.jpg"), **change}
    response = client.post("/sync/photos", data=body, content_type="multipart/form-data")
    assert response.status_code == 400 and response.json["error"] == code


def test_photo_upload_without_file_is_400(login, db):
    client = login("tutor.loreto")
    response = client.post("/sync/photos",
                           data={"uuid": new_uuid(), "owner": "report", "owner_id": a_report(client, db)})
    assert response.status_code == 400 and response.json["error"] == "no_file"


def test_photo_upload_needs_a_session_and_a_field_role(client, login):
    assert client.post("/sync/photos").status_code == 401
    assert login("admin").post("/sync/photos").status_code == 403


def test_photo_upload_checks_csrf(tmp_path, demo_db):
    import shutil

    from tests.conftest import make_app

    target = tmp_path / "cortile.db"
    shutil.copy(demo_db, target)
    app = make_app(tmp_path, db_file=target, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0] if 'type="hidden" value="' in page \
        else page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"username": "tutor.loreto", "password": "demo-cortile", "csrf_token": token})
    refused = client.post("/sync/photos", data={"uuid": new_uuid()})
    assert refused.status_code == 400 and refused.is_json
    fresh = client.get("/sync/token").json["csrf_token"]
    accepted = client.post("/sync/photos", data={"uuid": new_uuid()}, headers={"X-CSRFToken": fresh})
    assert accepted.status_code == 400 and accepted.json["error"] == "bad_owner"


# --- /sync/manifest ---------------------------------------------------------------------------

def presidio_households(db, presidio):
    return {r["id"] for r in db.query(
        "SELECT h.id FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id "
        "WHERE b.presidio_code = ? AND h.active = 1", [presidio])}


def household_ids(urls):
    return {int(u.split("/")[2]) for u in urls if u.startswith("/households/") and u.split("/")[2].isdigit()}


def test_manifest_lists_the_tutors_presidio_and_nothing_else(login, db):
    urls = login("tutor.loreto").get("/sync/manifest").json["urls"]
    assert household_ids(urls) == presidio_households(db, "P-BLO")
    some = min(presidio_households(db, "P-BLO"))
    assert f"/households/{some}" in urls and f"/households/{some}/visits/new" in urls
    assert "/households/" in urls and "/households/?page=2" in urls
    assert "/reports/new" in urls and "/agenda" in urls and "/outbox" in urls
    assert len(urls) == len(set(urls))


def test_manifest_of_another_presidio_never_lists_these_households(login, db):
    urls = login("tutor.centro").get("/sync/manifest").json["urls"]
    assert household_ids(urls) == presidio_households(db, "P-CEN")
    assert not household_ids(urls) & presidio_households(db, "P-BLO")


def test_every_manifest_url_opens_for_its_user(login):
    client = login("tutor.sanfelice")
    urls = client.get("/sync/manifest").json["urls"]
    assert len(urls) > 40
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_manifest_of_an_operator_lists_only_the_pages_they_may_open(login):
    urls = login("operatore").get("/sync/manifest").json["urls"]
    assert not household_ids(urls)
    assert "/reports/new" in urls and "/agenda" not in urls


def test_manifest_is_not_for_admins_or_strangers(login, client):
    assert login("admin").get("/sync/manifest").status_code == 403
    assert client.get("/sync/manifest").status_code == 401
