"""Access samples of the plan routes (see test_access.py), and the need-to-know rules the matrix cannot show."""
import pytest

from fieldapp.audit import pseudonym


def a_plan(db):
    """A demo plan of educatore (the only educator): its household is in P-BLO."""
    return next(db.query("SELECT p.id FROM plans p JOIN users u ON u.id = p.educator_id "
                         "WHERE u.username = 'educatore' AND p.status = 'active' ORDER BY p.id LIMIT 1"))["id"]


SAMPLES = {
    "plans.plan_list": ("GET", lambda db: "/plans/", None),
    "plans.plan_new": ("GET", lambda db: "/plans/new", None),
    "plans.plan_detail": ("GET", lambda db: f"/plans/{a_plan(db)}", None),
    "plans.goal_add": ("POST", lambda db: f"/plans/{a_plan(db)}/goals", None),
    "plans.session_new": ("GET", lambda db: f"/plans/{a_plan(db)}/sessions/new", None),
    "plans.review_new": ("GET", lambda db: f"/plans/{a_plan(db)}/reviews/new", None),
    "plans.plan_close": ("GET", lambda db: f"/plans/{a_plan(db)}/close", None),
    "plans.agenda": ("GET", lambda db: "/plans/agenda", None),
    "plans.indicators": ("GET", lambda db: "/plans/indicators", None),
}


@pytest.fixture
def other_educator(app, db):
    """A second educator, who must not learn that the demo educator's plans exist."""
    from fieldapp.auth.queries import create_user

    with app.app_context():
        create_user("educatore2", "Educatore Due", "educator", "demo-cortile", "P-BLO")
    return "educatore2"


def test_an_educator_cannot_see_another_educators_plan(login, db, other_educator):
    client = login(other_educator)
    plan_id = a_plan(db)
    for path in (f"/plans/{plan_id}", f"/plans/{plan_id}/sessions/new", f"/plans/{plan_id}/reviews/new"):
        assert client.get(path).status_code == 404, path
    page = client.get("/plans/").get_data(as_text=True)
    assert "PEI-0001" not in page


def test_a_coordinator_reads_but_cannot_write(login, db):
    client = login("coordinatrice")
    plan_id = a_plan(db)
    assert client.get(f"/plans/{plan_id}").status_code == 200
    assert client.post(f"/plans/{plan_id}/goals", data={"domain": "finances", "text": "x"}).status_code == 403
    assert client.post(f"/plans/{plan_id}/close", data={"reason": "other"}).status_code == 403


def test_every_read_of_a_plan_is_audited(login, db):
    plan_id = a_plan(db)
    before = db.execute("SELECT count(*) FROM audit_log WHERE action = 'plan_read'").fetchone()[0]
    login("coordinatrice").get(f"/plans/{plan_id}")
    educator = login("educatore")
    for path in (f"/plans/{plan_id}", f"/plans/{plan_id}/sessions/new", f"/plans/{plan_id}/reviews/new"):
        educator.get(path)
    rows = list(db.query("SELECT username, target FROM audit_log WHERE action = 'plan_read' ORDER BY id"))[before:]
    assert [r["username"] for r in rows] == [pseudonym(name, "test-secret-key") for name in
                                             ("coordinatrice", "educatore", "educatore", "educatore")]
    assert all(r["target"].startswith("PEI-") for r in rows)
