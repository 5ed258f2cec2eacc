"""Access samples of the meeting routes (see test_access.py), and the rules the role matrix cannot show."""
import pytest


def a_meeting(db, username="community"):
    return next(db.query(
        "SELECT m.uuid FROM meetings m JOIN users u ON u.id = m.created_by WHERE u.username = ? "
        "ORDER BY m.uuid LIMIT 1", [username]))["uuid"]


SAMPLES = {
    "meetings.meeting_list": ("GET", lambda db: "/meetings/", None),
    "meetings.meeting_new": ("GET", lambda db: "/meetings/new", None),
    "meetings.meeting_summary": ("GET", lambda db: "/meetings/summary", None),
    "meetings.meeting_detail": ("GET", lambda db: f"/meetings/{a_meeting(db)}", None),
    "meetings.meeting_edit": ("GET", lambda db: f"/meetings/{a_meeting(db)}/edit", None),
}


@pytest.mark.parametrize("username", ["operatore", "admin"])
@pytest.mark.parametrize("endpoint", sorted(SAMPLES))
def test_operator_and_admin_cannot_reach_meetings(login, db, endpoint, username):
    method, url, _scope = SAMPLES[endpoint]
    assert login(username).open(url(db), method=method, data={}).status_code == 403


@pytest.mark.parametrize("username", ["community", "tutor.centro", "tutor.sanfelice", "coordinatrice"])
def test_meetings_have_no_presidio_scope(login, db, username):
    client = login(username)
    assert client.get("/meetings/").status_code == 200
    assert client.get(f"/meetings/{a_meeting(db)}").status_code == 200


def test_only_the_author_or_a_coordinator_can_edit_a_meeting(login, db):
    uuid = a_meeting(db, "community")
    assert login("community").get(f"/meetings/{uuid}/edit").status_code == 200
    assert login("coordinatrice").get(f"/meetings/{uuid}/edit").status_code == 200
    response = login("tutor.centro").post(f"/meetings/{uuid}/edit", data={"version": "1", "place": "Elsewhere"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meetings/{uuid}")
    assert next(db.query("SELECT version FROM meetings WHERE uuid = ?", [uuid]))["version"] == 1


def test_unknown_meeting_is_not_found(login):
    client = login("community")
    assert client.get("/meetings/00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.get("/meetings/nonsense").status_code == 404
