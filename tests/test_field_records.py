"""One rule for every field record (fieldapp.records.ingest): a replay is stored once and answered as the first time,
other content under the same uuid is 409, the same uuid in capitals is a replay, and the outbox gets 204."""
import io
import uuid as uuid_module
from datetime import datetime, time, timedelta

import pytest
import time_machine
from PIL import Image

from fieldapp.clock import local_today, local_zone
from tests.test_interventions import building, make_reports, plan, plan_data, sign_in
from tests.test_meetings import meeting_form
from tests.test_visits import blo_household, visit_form


def jpeg(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def count(db, sql, *params):
    return db.execute(sql, params).fetchone()[0]


# Each record type: who sends it, where, a valid form (for a uuid), the same uuid with other content,
# and how many rows that uuid holds (a replay must leave it at the first count).
def visit_case(db, client):
    household = blo_household(db)
    return {"user": "tutor.loreto", "url": f"/households/{household['id']}/visits/new",
            "form": lambda uuid: visit_form(db, uuid), "other": lambda uuid: visit_form(db, uuid, note="Altra nota."),
            "rows": lambda uuid: count(db, "SELECT COUNT(*) FROM visits WHERE uuid = ?", uuid)}


def followup_case(db, client):
    case = visit_case(db, client)
    case["other"] = lambda uuid: visit_form(db, uuid, **{"followups-0-action": "home_visit"})
    case["rows"] = lambda uuid: count(db, "SELECT COUNT(*) FROM followups WHERE visit_uuid = ?", uuid)
    return case


def meeting_case(db, client):
    return {"user": "community", "url": "/meetings/new", "form": lambda uuid: meeting_form(uuid),
            "other": lambda uuid: meeting_form(uuid, place="Cortile interno"),
            "rows": lambda uuid: count(db, "SELECT COUNT(*) FROM meetings WHERE uuid = ?", uuid)}


def report_case(db, client):
    place = building(db)

    def form(uuid, description="Sacchi di rifiuti in cantina."):
        return {"uuid": uuid, "building": str(place["id"]), "area": "cellars", "category": "waste",
                "severity": "moderate", "description": description, "photo_uuid": photo,
                "photos": [(io.BytesIO(jpeg("teal")), "cantina.jpg")]}

    photo = str(uuid_module.uuid4())
    return {"user": "tutor.loreto", "url": "/reports/new", "form": form,
            "other": lambda uuid: form(uuid, "Un'altra cosa."),
            "rows": lambda uuid: count(db, "SELECT COUNT(*) FROM reports WHERE uuid = ?", uuid)
            + count(db, "SELECT COUNT(*) FROM photos WHERE owner_id = ?", uuid)}


def intervention_case(db, client):
    reports = make_reports(db, building(db))
    return {"user": "operatore", "url": "/interventions/new",
            "form": lambda uuid: {**plan_data(db, reports), "uuid": uuid},
            "other": lambda uuid: {**plan_data(db, reports), "uuid": uuid, "notes": "Portare il furgone grande."},
            "rows": lambda uuid: count(db, "SELECT COUNT(*) FROM interventions WHERE uuid = ?", uuid)
            + count(db, "SELECT COUNT(*) FROM events WHERE entity = 'intervention'")}


def step_case(db, client):
    intervention_id, _ = plan(client, db)
    return {"user": "operatore", "url": f"/interventions/{intervention_id}/notify",
            "form": lambda uuid: {"uuid": uuid},
            "other": lambda uuid: {"uuid": uuid, "reason": "Ditta non disponibile"},
            "other_url": f"/interventions/{intervention_id}/cancel",
            "rows": lambda uuid: count(db, "SELECT COUNT(*) FROM intervention_updates WHERE uuid = ?", uuid)
            + count(db, "SELECT COUNT(*) FROM events WHERE entity = 'intervention' AND entity_id = ?",
                    str(intervention_id))}


def site_photos_case(db, client):
    intervention_id, _ = plan(client, db)
    photo = str(uuid_module.uuid4())

    def form(uuid, role="before"):
        return {"uuid": uuid, "role": role, "photo_uuid": photo, "photos": [(io.BytesIO(jpeg("blue")), "prima.jpg")]}

    return {"user": "operatore", "url": f"/interventions/{intervention_id}/photos", "form": form,
            "other": lambda uuid: form(uuid, "after"),
            "rows": lambda uuid: count(db, "SELECT COUNT(*) FROM intervention_updates WHERE uuid = ?", uuid)
            + count(db, "SELECT COUNT(*) FROM photos WHERE uuid = ?", photo)}


def sync_photo_case(db, client):
    report = make_reports(db, building(db), n=1, status="new")[0]

    def form(uuid, colour="olive"):
        return {"uuid": uuid, "owner": "report", "owner_id": report, "role": "report",
                "file": (io.BytesIO(jpeg(colour)), "foto.jpg")}

    return {"user": "tutor.loreto", "url": "/sync/photos", "form": form, "other": lambda uuid: form(uuid, "purple"),
            "rows": lambda uuid: count(db, "SELECT COUNT(*) FROM photos WHERE uuid = ?", uuid),
            "stored": 201, "replay": 200}


CASES = {"visit": visit_case, "followup": followup_case, "meeting": meeting_case, "report": report_case,
         "intervention": intervention_case, "intervention_step": step_case, "intervention_photos": site_photos_case,
         "photo": sync_photo_case}


@pytest.mark.parametrize("kind", CASES)
def test_a_field_record_is_stored_once_and_a_conflict_is_refused(login, db, kind):
    case = CASES[kind](db, login("operatore"))
    client = login(case["user"])
    stored, replay = case.get("stored", 303), case.get("replay", 303)
    uuid = str(uuid_module.uuid4())

    def send(data, url=None, **headers):
        return client.post(url or case["url"], data=data, headers=headers, content_type="multipart/form-data")

    first = send(case["form"](uuid))
    assert first.status_code == stored, first.get_data(as_text=True)[:1500]
    rows = case["rows"](uuid)
    assert rows >= 1
    again = send(case["form"](uuid))
    assert again.status_code == replay and again.headers.get("Location") == first.headers.get("Location")
    capitals = send(case["form"](uuid.upper()))
    assert capitals.status_code == replay and capitals.headers.get("Location") == first.headers.get("Location")
    assert case["rows"](uuid) == rows
    if stored == 303:  # a form: the outbox gets 204 and the record's address
        outbox = send(case["form"](uuid), **{"X-Cortile-Outbox": "replay"})
        assert outbox.status_code == 204 and outbox.data == b""
        assert outbox.headers["X-Cortile-Location"] == first.headers["Location"]
    conflict = send(case["other"](uuid), case.get("other_url"))
    assert conflict.status_code == 409
    assert case["rows"](uuid) == rows


def test_a_booking_sent_again_after_its_day_is_a_replay(app, db):
    operator = sign_in(app)
    reports = make_reports(db, building(db))
    data = {**plan_data(db, reports), "uuid": str(uuid_module.uuid4())}  # booked for today
    first = operator.post("/interventions/new", data=data)
    assert first.status_code == 303
    tomorrow = datetime.combine(local_today() + timedelta(days=1), time(9, 0), tzinfo=local_zone())
    with time_machine.travel(tomorrow, tick=True):
        operator = sign_in(app)
        again = operator.post("/interventions/new", data={**data, "uuid": data["uuid"].upper()})
        assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
        # The same booking as a new one is refused: its day has passed.
        fresh = operator.post("/interventions/new", data={**plan_data(db, make_reports(db, building(db))),
                                                          "scheduled_on": data["scheduled_on"]})
        assert fresh.status_code == 422 and "Il giorno è già passato" in fresh.get_data(as_text=True)
    assert count(db, "SELECT COUNT(*) FROM interventions WHERE uuid = ?", data["uuid"]) == 1


def test_a_new_record_keeps_its_uuid_in_lowercase(login, db):
    uuid = str(uuid_module.uuid4())
    response = login("community").post("/meetings/new", data=meeting_form(uuid.upper()))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meetings/{uuid}")
    assert count(db, "SELECT COUNT(*) FROM meetings WHERE uuid = ?", uuid) == 1


def test_a_refused_record_stores_nothing_and_its_replay_is_not_a_conflict(login, db):
    """A form refused by validation leaves no trace: sent again, fixed, under the same uuid, it is stored."""
    client = login("community")
    uuid = str(uuid_module.uuid4())
    refused = client.post("/meetings/new", data=meeting_form(uuid, held_on=""))
    assert refused.status_code == 422 and count(db, "SELECT COUNT(*) FROM meetings WHERE uuid = ?", uuid) == 0
    assert client.post("/meetings/new", data=meeting_form(uuid)).status_code == 303
