"""Meetings: the form, idempotent storage, validation, no names, list, summary and edits."""
import json
import re
import uuid as uuid_module
from datetime import timedelta

import pytest

from fieldapp.visits.forms import local_today
from tests.conftest import PINNED
from tests.test_visits import ROOT, italian, messages_used


@pytest.fixture
def login(login):
    """Signed-in clients reading English, so that messages compare with their ids."""

    def sign_in(username):
        client = login(username)
        client.post("/lang", data={"lang": "en"})
        return client

    return sign_in


def meeting_form(uuid=None, **fields):
    """A valid meeting in Borgo Loreto today, with one next step."""
    today = local_today()
    data = {
        "uuid": uuid or str(uuid_module.uuid4()),
        "client_created_at": "2025-03-01T18:00:00.000Z",
        "context": "borgo_loreto",
        "held_on": today.isoformat(),
        "start_time": "18:00",
        "duration_minutes": "90",
        "place": "Presidio",
        "kind": "assembly",
        "participants_public_housing": "12",
        "participants_other_residents": "3",
        "participants_services": "2",
        "participants_third_sector": "1",
        "participants_committees": "0",
        "topics": ["waste", "common_areas"],
        "outcomes": ["agreement"],
        "summary": "Demo summary: test entry.",
        "steps-0-action": "Tutor shares the cleaning rota",
        "steps-0-due_on": (today + timedelta(days=10)).isoformat(),
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def count(db, table, where="1 = 1", params=()):
    return db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", list(params)).fetchone()[0]


def stored(db, uuid):
    return next(db.query("SELECT * FROM meetings WHERE uuid = ?", [uuid]), None)


def test_meeting_form_fits_the_phone_defaults(login):
    html = login("community").get("/meetings/new").get_data(as_text=True)
    assert "data-outbox" in html and 'name="uuid" value=""' in html
    assert 'value="borgo_loreto" checked' in html
    assert f'value="{local_today().isoformat()}"' in html


def test_community_manager_logs_a_meeting_with_next_steps(login, db):
    data = meeting_form()
    response = login("community").post("/meetings/new", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/meetings/{data['uuid']}")
    meeting = stored(db, data["uuid"])
    assert (meeting["context"], meeting["kind"], meeting["place"]) == ("borgo_loreto", "assembly", "Presidio")
    assert meeting["participants_public_housing"] == 12 and meeting["participants_committees"] == 0
    assert json.loads(meeting["topics"]) == ["common_areas", "waste"]  # vocabulary order
    assert meeting["version"] == 1 and meeting["content_hash"]
    steps = list(db.query("SELECT action, due_on FROM meeting_steps WHERE meeting_uuid = ?", [data["uuid"]]))
    assert steps == [{"action": "Tutor shares the cleaning rota", "due_on": data["steps-0-due_on"]}]
    page = login("community").get(response.headers["Location"]).get_data(as_text=True)
    assert "Tutor shares the cleaning rota" in page and "Total: 18" in page


def test_tutor_logs_a_meeting_in_another_building(login, db):
    building = next(db.query("SELECT id FROM buildings WHERE pilot_area IS NULL ORDER BY id LIMIT 1"))["id"]
    data = meeting_form(context="building", building=str(building), kind="workshop")
    assert login("tutor.centro").post("/meetings/new", data=data).status_code == 303
    assert stored(db, data["uuid"])["building_id"] == building


def test_replayed_meeting_is_stored_once(login, db):
    client = login("community")
    data = meeting_form()
    first, again = client.post("/meetings/new", data=data), client.post("/meetings/new", data=data)
    assert first.status_code == again.status_code == 303
    assert count(db, "meetings", "uuid = ?", [data["uuid"]]) == 1
    assert count(db, "meeting_steps", "meeting_uuid = ?", [data["uuid"]]) == 1


def test_same_meeting_uuid_with_other_content_is_a_conflict(login, db):
    client = login("community")
    data = meeting_form()
    client.post("/meetings/new", data=data)
    assert client.post("/meetings/new", data={**data, "place": "Cortile"}).status_code == 409
    assert stored(db, data["uuid"])["place"] == "Presidio"


def test_meeting_without_a_device_uuid_gets_one(login, db):
    before = count(db, "meetings")
    assert login("community").post("/meetings/new", data=meeting_form(uuid="")).status_code == 303
    assert count(db, "meetings") == before + 1


FUTURE = (PINNED.date() + timedelta(days=2)).isoformat()  # the tests' clock, not today


@pytest.mark.parametrize("fields, message", [
    ({"held_on": FUTURE}, "A meeting cannot be logged before it happens."),
    ({"held_on": "2010-05-05"}, "before the service began"),
    ({"participants_public_housing": "-3"}, "Participants of a group: must be from 0 to 500, not -3"),
    ({"participants_services": "5000"}, "must be from 0 to 500, not 5,000"),
    ({"participants_other_residents": "lots"}, "“lots” is not a number"),
    ({"participants_public_housing": "0", "participants_other_residents": "0", "participants_services": "0",
      "participants_third_sector": "0"}, "Count at least one participant."),
    ({"duration_minutes": "0"}, "Duration in minutes: must be from 5 to 720 min, not 0"),
    ({"kind": "rave"}, "Choose one of the listed options."),
    ({"kind": None}, "Choose the kind of meeting."),
    ({"context": "moon"}, "Choose one of the listed options."),
    ({"context": "building"}, "Choose the building."),
    ({"context": "quartiere"}, "Choose the quartiere."),
    ({"context": "building", "building": "999999"}, "Choose one of the listed options."),
    ({"topics": ["waste", "politics"]}, "Unknown option: politics."),
    ({"outcomes": ["arrests"]}, "Unknown option: arrests."),
    ({"place": ""}, "Enter where the meeting was held."),
    ({"place": "p" * 121}, "Keep the place within 120 characters."),
    ({"summary": "s" * 501}, "Keep the summary within 500 characters."),
    ({"steps-0-due_on": "2020-01-01"}, "A next step cannot be due before the meeting."),
    ({"steps-0-due_on": ""}, "Set a date for this step."),
    ({"steps-0-action": ""}, "Say what the next step is."),
    ({"steps-0-action": "a" * 141}, "Keep each step within 140 characters."),
])
def test_bad_meeting_input_is_refused_with_a_message(login, db, fields, message):
    data = meeting_form(**fields)
    response = login("community").post("/meetings/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'role="alert"' in html and message in html
    assert count(db, "meetings", "uuid = ?", [data["uuid"]]) == 0
    assert count(db, "meeting_steps", "meeting_uuid = ?", [data["uuid"]]) == 0


# --- No names ----------------------------------------------------------------------------------

NAME_WORDS = re.compile(r"name|surname|nome|cognome|person|people|attendee|signature|firma|phone|email")


def test_no_meeting_table_has_a_name_field(db):
    for table in ("meetings", "meeting_steps"):
        columns = [c.name for c in db[table].columns]
        assert columns and not [c for c in columns if NAME_WORDS.search(c)], table


def test_names_posted_by_hand_are_not_stored(login, db):
    data = meeting_form(name="Mario Demo", participant_names="Mario Demo, Anna Demo", attendees="Mario Demo")
    assert login("community").post("/meetings/new", data=data).status_code == 303
    row = stored(db, data["uuid"])
    assert "Mario Demo" not in json.dumps(row)


# --- List and summary --------------------------------------------------------------------------

def test_list_filters_by_context_and_period(login, db):
    client = login("community")
    old = meeting_form(context="pagliari", held_on=(local_today() - timedelta(days=60)).isoformat(),
                       place="Old pagliari place", **{"steps-0-action": "", "steps-0-due_on": ""})
    new = meeting_form(place="Fresh loreto place")
    for data in (old, new):
        assert client.post("/meetings/new", data=data).status_code == 303
    loreto = client.get("/meetings/?context=borgo_loreto").get_data(as_text=True)
    assert "Fresh loreto place" in loreto and "Old pagliari place" not in loreto
    since = (local_today() - timedelta(days=70)).isoformat()
    until = (local_today() - timedelta(days=50)).isoformat()
    period = client.get(f"/meetings/?from={since}&to={until}").get_data(as_text=True)
    assert "Old pagliari place" in period and "Fresh loreto place" not in period
    fragment = client.get("/meetings/?context=pagliari", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "Old pagliari place" in fragment


def test_list_shows_the_month_participation(login, db):
    client = login("community")
    today = local_today()
    first = today.replace(day=1).isoformat()
    before = db.execute(
        "SELECT COALESCE(SUM(participants_public_housing + participants_other_residents + participants_services"
        " + participants_third_sector + participants_committees), 0) FROM meetings WHERE context = 'borgo_loreto'"
        " AND held_on BETWEEN ? AND ?", [first, today.isoformat()]).fetchone()[0]
    client.post("/meetings/new", data=meeting_form())
    html = client.get("/meetings/?context=borgo_loreto").get_data(as_text=True)
    month = html[html.index('data-testid="this-month"'):]
    assert f'stat-value">{before + 18}<' in month


def test_summary_counts_meetings_and_participants_by_month(login, db):
    client = login("community")
    quartiere = 9
    held = local_today() - timedelta(days=40)
    for people in ("4", "6"):
        client.post("/meetings/new", data=meeting_form(
            context="quartiere", quartiere=str(quartiere), held_on=held.isoformat(),
            participants_public_housing=people, participants_other_residents="0", participants_services="0",
            participants_third_sector="0", **{"steps-0-action": "", "steps-0-due_on": ""}))
    existing = db.execute("SELECT COUNT(*) FROM meetings WHERE quartiere_id = ?", [quartiere]).fetchone()[0]
    html = client.get(f"/meetings/summary?context=quartiere:{quartiere}").get_data(as_text=True)
    assert "Participation summary" in html
    totals = html[html.index('data-testid="totals"'):]
    assert f'stat-value">{existing}<' in totals
    trend = html[html.index('data-testid="trend"'):]
    month = held.strftime("%Y-%m")
    assert re.search(rf'<time datetime="{month}">[^<]+</time></th><td>\d+</td>', trend)
    assert trend.count("<meter") == 12


def test_summary_without_context_compares_every_context(login):
    html = login("coordinatrice").get("/meetings/summary").get_data(as_text=True)
    table = html[html.index('data-testid="by-context"'):]
    assert "Borgo Loreto" in table and "Largo Pagliari" in table


def test_summary_ignores_bad_filters(login):
    response = login("community").get("/meetings/summary?context=drop%20table&from=yesterday&to=2025-13-45")
    assert response.status_code == 200


# --- Edits -------------------------------------------------------------------------------------

def logged(login):
    data = meeting_form()
    login("community").post("/meetings/new", data=data)
    return data


def edit_form(data, version, **fields):
    edit = {k: v for k, v in data.items() if k not in ("uuid", "client_created_at")}
    edit["version"] = str(version)
    edit.update(fields)
    return edit


def test_author_edits_a_meeting(login, db):
    data = logged(login)
    client = login("community")
    assert 'name="version" value="1"' in client.get(f"/meetings/{data['uuid']}/edit").get_data(as_text=True)
    response = client.post(f"/meetings/{data['uuid']}/edit", data=edit_form(data, 1, participants_services="4"))
    assert response.status_code == 303
    row = stored(db, data["uuid"])
    assert (row["participants_services"], row["version"]) == (4, 2)
    assert count(db, "meeting_steps", "meeting_uuid = ?", [data["uuid"]]) == 1


def test_stale_meeting_edit_gets_409_and_both_versions(login, db):
    data = logged(login)
    assert login("coordinatrice").post(f"/meetings/{data['uuid']}/edit",
                                       data=edit_form(data, 1, place="Saved place")).status_code == 303
    response = login("community").post(f"/meetings/{data['uuid']}/edit", data=edit_form(data, 1, place="My place"))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Saved place" in html and 'value="My place"' in html and 'name="version" value="2"' in html
    assert stored(db, data["uuid"])["place"] == "Saved place"


def test_replayed_meeting_edit_is_not_a_conflict(login, db):
    data = logged(login)
    client = login("community")
    edit = edit_form(data, 1, place="Cortile")
    assert client.post(f"/meetings/{data['uuid']}/edit", data=edit).status_code == 303
    assert client.post(f"/meetings/{data['uuid']}/edit", data=edit).status_code == 303
    assert stored(db, data["uuid"])["version"] == 2


def test_invalid_meeting_edit_changes_nothing(login, db):
    data = logged(login)
    response = login("community").post(f"/meetings/{data['uuid']}/edit",
                                       data=edit_form(data, 1, participants_committees="-1"))
    assert response.status_code == 422
    assert stored(db, data["uuid"])["version"] == 1


# --- Demo data and language -------------------------------------------------------------------------

def test_demo_meetings_cover_both_pilot_areas_without_names(db):
    contexts = {row["context"] for row in db.query("SELECT DISTINCT context FROM meetings")}
    assert {"borgo_loreto", "pagliari"} <= contexts
    names = [row["display_name"] for row in db.query("SELECT display_name FROM users")]
    texts = [json.dumps(row) for row in db.query("SELECT place, summary FROM meetings")]
    texts += [row["action"] for row in db.query("SELECT action FROM meeting_steps")]
    assert not [t for t in texts for name in names if name in t]


def test_every_meeting_message_has_an_italian_translation():
    paths = [*sorted((ROOT / "fieldapp" / "meetings").glob("*.py")),
             *sorted((ROOT / "templates" / "meetings").glob("*.html"))]
    catalogue = italian("meetings.po")
    missing = sorted(m for m in messages_used(paths) if not catalogue.get(m))
    assert missing == []
