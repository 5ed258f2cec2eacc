"""Access samples of the visit routes (see test_access.py), and the rules the role matrix cannot show."""
import pytest


def household(db):
    return next(db.query(
        "SELECT h.id FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id "
        "WHERE b.presidio_code = 'P-BLO' ORDER BY h.id LIMIT 1"))["id"]


def visit_by(db, username):
    """A P-BLO visit written by `username`."""
    return next(db.query(
        "SELECT v.uuid FROM visits v JOIN users u ON u.id = v.created_by JOIN households h ON h.id = v.household_id "
        "JOIN units n ON n.id = h.unit_id JOIN buildings b ON b.id = n.building_id "
        "WHERE u.username = ? AND b.presidio_code = 'P-BLO' ORDER BY v.uuid LIMIT 1", [username]))["uuid"]


def followup(db, status):
    return next(db.query(
        "SELECT f.uuid FROM followups f JOIN households h ON h.id = f.household_id JOIN units u ON u.id = h.unit_id "
        "JOIN buildings b ON b.id = u.building_id WHERE b.presidio_code = 'P-BLO' AND f.status = ? "
        "ORDER BY f.uuid LIMIT 1", [status]))["uuid"]


SAMPLES = {
    "visits.visit_new": ("GET", lambda db: f"/households/{household(db)}/visits/new", "presidio"),
    "visits.visit_detail": ("GET", lambda db: f"/visits/{visit_by(db, 'tutor.loreto')}", "presidio"),
    "visits.visit_edit": ("GET", lambda db: f"/visits/{visit_by(db, 'tutor.loreto')}/edit", "presidio"),
    "visits.household_timeline": ("GET", lambda db: f"/households/{household(db)}/timeline", "presidio"),
    "visits.agenda": ("GET", lambda db: "/agenda", None),
    "visits.agenda_counts": ("GET", lambda db: "/agenda/counts", None),
    "visits.followup_done": ("POST", lambda db: f"/followups/{followup(db, 'open')}/done", "presidio"),
    "visits.followup_reopen": ("POST", lambda db: f"/followups/{followup(db, 'done')}/reopen", "presidio"),
}

FORBIDDEN = ("operatore", "community", "admin")


@pytest.mark.parametrize("username", FORBIDDEN)
@pytest.mark.parametrize("endpoint", sorted(SAMPLES))
def test_only_tutors_and_coordinators_reach_visit_routes(login, db, endpoint, username):
    method, url, _scope = SAMPLES[endpoint]
    response = login(username).open(url(db), method=method, data={})
    assert response.status_code == 403


@pytest.mark.parametrize("endpoint", sorted(e for e, sample in SAMPLES.items() if sample[2] == "presidio"))
def test_tutor_of_another_presidio_gets_not_found(login, db, endpoint):
    method, url, _scope = SAMPLES[endpoint]
    response = login("tutor.pagliari").open(url(db), method=method, data={})
    assert response.status_code == 404


def test_operator_never_sees_visit_notes_on_the_household_page(login, db):
    uuid = visit_by(db, "tutor.loreto")
    db.execute("UPDATE visits SET note = 'Demo note: unmistakable marker' WHERE uuid = ?", [uuid])
    household_id = next(db.query("SELECT household_id FROM visits WHERE uuid = ?", [uuid]))["household_id"]
    assert login("operatore").get(f"/households/{household_id}").status_code == 403
    assert login("operatore").get(f"/visits/{uuid}").status_code == 403
    assert b"unmistakable marker" in login("tutor.loreto").get(f"/visits/{uuid}").data


def test_tutor_of_the_presidio_who_is_not_the_author_cannot_edit(login, db):
    uuid = visit_by(db, "tutor.loreto")
    before = next(db.query("SELECT version FROM visits WHERE uuid = ?", [uuid]))["version"]
    client = login("tutor.loreto2")
    assert client.get(f"/visits/{uuid}").status_code == 200
    response = client.post(f"/visits/{uuid}/edit", data={"version": str(before), "kind": "other"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/visits/{uuid}")
    assert next(db.query("SELECT version, kind FROM visits WHERE uuid = ?", [uuid]))["version"] == before


def test_unknown_visit_uuid_is_not_found(login):
    client = login("coordinatrice")
    assert client.get("/visits/not-a-uuid").status_code == 404
    assert client.get("/visits/00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.post("/followups/00000000-0000-4000-8000-000000000000/done").status_code == 404
