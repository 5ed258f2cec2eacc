"""Access samples of the arrears routes (see test_access.py), and the rules the role matrix cannot show."""
import pytest


def a_case(db):
    return next(db.query("SELECT household_id FROM arrears_cases ORDER BY household_id LIMIT 1"))["household_id"]


def a_plan(db):
    return next(db.query("SELECT id FROM repayment_plans ORDER BY id LIMIT 1"))["id"]


def a_conference(db):
    return next(db.query("SELECT id FROM conferences ORDER BY id LIMIT 1"))["id"]


def an_item(db):
    row = next(db.query("SELECT id, conference_id FROM conference_items ORDER BY id LIMIT 1"))
    return f"/arrears/conferences/{row['conference_id']}/items/{row['id']}"


SAMPLES = {
    "arrears.caseload": ("GET", lambda db: "/arrears/", None),
    "arrears.ledger_import": ("GET", lambda db: "/arrears/import", None),
    "arrears.case_detail": ("GET", lambda db: f"/arrears/households/{a_case(db)}", None),
    "arrears.contact_add": ("POST", lambda db: f"/arrears/households/{a_case(db)}/contacts", None),
    "arrears.check_add": ("POST", lambda db: f"/arrears/households/{a_case(db)}/checks", None),
    "arrears.stage_set": ("POST", lambda db: f"/arrears/households/{a_case(db)}/stage", None),
    "arrears.plan_add": ("POST", lambda db: f"/arrears/households/{a_case(db)}/plans", None),
    "arrears.plan_detail": ("GET", lambda db: f"/arrears/plans/{a_plan(db)}", None),
    "arrears.plan_sign": ("POST", lambda db: f"/arrears/plans/{a_plan(db)}/sign", None),
    "arrears.plan_pdf": ("GET", lambda db: f"/arrears/plans/{a_plan(db)}/plan.pdf", None),
    "arrears.conference_list": ("GET", lambda db: "/arrears/conferences", None),
    "arrears.conference_new": ("POST", lambda db: "/arrears/conferences", None),
    "arrears.conference_detail": ("GET", lambda db: f"/arrears/conferences/{a_conference(db)}", None),
    "arrears.decision_set": ("POST", an_item, None),
    "arrears.conference_minutes": ("GET", lambda db: f"/arrears/conferences/{a_conference(db)}/minutes.pdf", None),
    "arrears.indicators": ("GET", lambda db: "/arrears/indicators", None),
    "arrears.indicators_export": ("GET", lambda db: "/arrears/indicators.csv", None),
}


@pytest.mark.parametrize("endpoint", sorted(e for e, (m, _u, _s) in SAMPLES.items() if m == "POST"))
def test_coordinator_reads_but_cannot_change_cases(shared_login, shared_db, endpoint):
    _method, url, _scope = SAMPLES[endpoint]
    assert shared_login("coordinatrice").post(url(shared_db), data={}).status_code == 403


def test_reading_a_case_is_audited(login, db):
    household_id = a_case(db)
    code = next(db.query("SELECT code FROM households WHERE id = ?", [household_id]))["code"]
    assert login("coordinatrice").get(f"/arrears/households/{household_id}").status_code == 200
    assert next(db.query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'arrears_case_read' AND target = ?",
                         [code]))["n"] == 1


def test_the_team_lands_on_its_caseload_and_admins_see_none_of_it(shared_login):
    response = shared_login("equipe").get("/", follow_redirects=True)
    assert response.status_code == 200 and "Casi di morosità" in response.get_data(as_text=True)
    admin = shared_login("admin")
    assert "/arrears/" not in admin.get("/admin/users/").get_data(as_text=True)
    assert admin.get("/arrears/").status_code == 403
