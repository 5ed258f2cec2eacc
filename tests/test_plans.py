"""Individual educational plans through the HTTP client: opening, goals, sessions, reviews, need to know."""
import uuid as uuid_module
from datetime import date, timedelta

import pytest

from fieldapp.audit import pseudonym
from fieldapp.clock import local_today

HOUSEHOLD = "DEMO-BLO-160"


def count(db, table):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def plan_form(**changes):
    data = {"household": HOUSEHOLD, "birth_band": "1970s", "referrer": "tutor",
            "agreed_on": (local_today() - timedelta(days=10)).isoformat(), "protocol": "PG/2026/0001",
            "objectives": "Più autonomia nella gestione della casa", "expected_results": "Bilancio mensile",
            "supports": "Incontri settimanali", "commitments": "La persona partecipa agli incontri"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def educator(login):
    return login("educatore")


@pytest.fixture
def plan_id(educator, db):
    response = educator.post("/plans/new", data=plan_form())
    assert response.status_code == 303
    plan = int(response.headers["Location"].rsplit("/", 1)[1])
    response = educator.post(f"/plans/{plan}/goals", data={"domain": "finances", "text": "Tenere un bilancio",
                                                           "baseline": "Nessun bilancio", "target": "Bilancio 3 mesi"})
    assert response.status_code == 303
    return plan


def test_a_plan_opens_with_a_code_a_household_link_and_a_review_in_90_days(educator, db, plan_id):
    plan = next(db.query("SELECT p.*, pp.code, pp.birth_band, h.code AS household FROM plans p "
                         "JOIN plan_persons pp ON pp.id = p.person_id JOIN households h ON h.id = pp.household_id "
                         "WHERE p.id = ?", [plan_id]))
    agreed = date.fromisoformat(plan["agreed_on"])
    assert plan["review_on"] == (agreed + timedelta(days=90)).isoformat()
    assert plan["household"] == HOUSEHOLD and plan["code"].startswith("PEI-") and plan["birth_band"] == "1970s"
    page = educator.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "Tenere un bilancio" in page and "PG/2026/0001" in page


def test_the_plan_form_reminds_not_to_write_diagnoses(educator):
    page = educator.get("/plans/new").get_data(as_text=True)
    assert "mai diagnosi" in page


@pytest.mark.parametrize("changes, message", [
    ({"agreed_on": ""}, "Inserisci la data in cui la persona ha aderito al progetto."),
    ({"household": "DEMO-XXX-999"}, "Nessun nucleo attivo ha questo codice."),
    ({"objectives": "x" * 1001}, "Resta entro 1000 caratteri"),
])
def test_a_bad_plan_is_refused_and_nothing_is_stored(educator, db, changes, message):
    before = (count(db, "plans"), count(db, "plan_persons"))
    response = educator.post("/plans/new", data=plan_form(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert (count(db, "plans"), count(db, "plan_persons")) == before


@pytest.mark.parametrize("goal, message", [
    ({"domain": "diagnosis", "text": "x"}, "Scegli un ambito dall’elenco."),
    ({"domain": "finances", "text": "x" * 201}, "Resta entro 200 caratteri"),
])
def test_a_bad_goal_is_refused(educator, db, plan_id, goal, message):
    before = count(db, "plan_goals")
    response = educator.post(f"/plans/{plan_id}/goals", data=goal)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(db, "plan_goals") == before


def session(db, plan_id, **changes):
    goal = db.execute("SELECT id FROM plan_goals WHERE plan_id = ?", [plan_id]).fetchone()[0]
    data = {"uuid": str(uuid_module.uuid4()), "client_created_at": "2026-11-18T10:00:00Z",
            "held_on": local_today().isoformat(), "duration_minutes": "45", "kind": "home", "goals": str(goal),
            "note": "Bilancio di ottobre compilato insieme"}
    data.update(changes)
    return data


def test_a_session_sent_twice_by_the_outbox_is_stored_once(educator, db, plan_id):
    data = session(db, plan_id)
    url = f"/plans/{plan_id}/sessions/new"
    first = educator.post(url, data=data, headers={"X-Cortile-Outbox": "1"})
    again = educator.post(url, data=data, headers={"X-Cortile-Outbox": "replay"})
    assert first.status_code == again.status_code == 204
    assert first.headers["X-Cortile-Location"].endswith(f"/plans/{plan_id}")
    assert db.execute("SELECT count(*) FROM plan_sessions WHERE uuid = ?", [data["uuid"]]).fetchone()[0] == 1
    # Other content under the same uuid is a conflict, not an overwrite.
    assert educator.post(url, data={**data, "duration_minutes": "90"}).status_code == 409


@pytest.mark.parametrize("changes, message", [
    ({"held_on": "2020-01-01"}, "Una sessione non può essere datata prima dell’adesione."),
    ({"note": "x" * 301}, "Resta entro 300 caratteri"),
])
def test_a_bad_session_is_refused(educator, db, plan_id, changes, message):
    before = count(db, "plan_sessions")
    response = educator.post(f"/plans/{plan_id}/sessions/new", data=session(db, plan_id, **changes))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(db, "plan_sessions") == before


def test_a_review_scores_goals_and_zero_counts_as_attained(educator, db, plan_id):
    educator.post(f"/plans/{plan_id}/goals", data={"domain": "community", "text": "Partecipare al gruppo"})
    first, second = [r["id"] for r in db.query("SELECT id FROM plan_goals WHERE plan_id = ? ORDER BY id", [plan_id])]
    response = educator.post(f"/plans/{plan_id}/reviews/new", data={
        "reviewed_on": local_today().isoformat(), f"score-{first}": "0", f"score-{second}": "-1"})
    assert response.status_code == 303
    page = educator.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "1 obiettivo su 2 raggiunto" in page
    review_on = db.execute("SELECT review_on FROM plans WHERE id = ?", [plan_id]).fetchone()[0]
    assert review_on == (local_today() + timedelta(days=90)).isoformat()


@pytest.mark.parametrize("score", ["3", "-3", "x", ""])
def test_a_review_score_outside_minus_two_to_two_is_refused(educator, db, plan_id, score):
    goal = db.execute("SELECT id FROM plan_goals WHERE plan_id = ?", [plan_id]).fetchone()[0]
    before = (count(db, "plan_reviews"), count(db, "plan_review_scores"))
    response = educator.post(f"/plans/{plan_id}/reviews/new", data={
        "reviewed_on": local_today().isoformat(), f"score-{goal}": score})
    assert response.status_code == 422
    assert "Assegna a ogni obiettivo un punteggio da −2 a +2." in response.get_data(as_text=True)
    assert (count(db, "plan_reviews"), count(db, "plan_review_scores")) == before


def test_the_tutor_sees_the_flag_and_nothing_else(login, db, plan_id):
    household = db.execute("SELECT id FROM households WHERE code = ?", [HOUSEHOLD]).fetchone()[0]
    tutor = login("tutor.loreto")
    page = tutor.get(f"/households/{household}").get_data(as_text=True)
    assert "Progetto educativo attivo" in page and "Educatore Demo" in page
    for secret in ("Tenere un bilancio", "PG/2026/0001", "PEI-", "Più autonomia", "Incontri settimanali"):
        assert secret not in page
    assert "/plans/" not in page  # no handle on the plan, not even its number
    assert tutor.get(f"/plans/{plan_id}").status_code == 403
    assert f"/plans/{plan_id}" in login("coordinatrice").get(f"/households/{household}").get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'plan_flag_read' AND target = ? AND username = ?",
                      [HOUSEHOLD, pseudonym("tutor.loreto", "test-secret-key")]).fetchone()[0] == 1


def test_a_closed_plan_has_a_reason_and_takes_no_more_sessions(educator, login, db, plan_id):
    response = educator.post(f"/plans/{plan_id}/close", data={"closed_on": local_today().isoformat(),
                                                               "reason": "goals_reached"})
    assert response.status_code == 303
    assert db.execute("SELECT status, closing_reason FROM plans WHERE id = ?", [plan_id]).fetchone() == \
        ("closed", "goals_reached")
    response = educator.post(f"/plans/{plan_id}/sessions/new", data=session(db, plan_id))
    assert response.status_code == 409
    household = db.execute("SELECT id FROM households WHERE code = ?", [HOUSEHOLD]).fetchone()[0]
    page = login("tutor.loreto").get(f"/households/{household}").get_data(as_text=True)
    assert "Progetto educativo attivo" not in page


def test_agenda_and_indicators_of_the_educator(educator, db):
    agenda = educator.get("/plans/agenda").get_data(as_text=True)
    assert "PEI-0003" in agenda and "in ritardo" in agenda  # the demo plan whose review is overdue
    page = educator.get("/plans/indicators").get_data(as_text=True)
    assert "persone con un progetto" in page
    assert "1 / 2" in page  # demo: one review, goals scored 0 and -1


def test_retention_empties_a_plan_closed_longer_than_its_period_and_keeps_the_figures(app, educator, db, plan_id):
    from fieldapp.plans import retention

    educator.post(f"/plans/{plan_id}/sessions/new", data=session(db, plan_id))
    closed_on = local_today() - timedelta(days=2)
    educator.post(f"/plans/{plan_id}/close", data={"closed_on": closed_on.isoformat(), "reason": "moved"})
    with app.app_context():
        assert retention.anonymise_expired(local_today()) == []  # still within the period
        app.config["PLAN_RETENTION_DAYS"] = 1
        assert retention.anonymise_expired(local_today()) == [plan_id]
    plan = next(db.query("SELECT * FROM plans WHERE id = ?", [plan_id]))
    assert (plan["objectives"], plan["protocol"], plan["closing_reason"]) == ("", "-", "moved")
    assert db.execute("SELECT household_id FROM plan_persons WHERE id = ?", [plan["person_id"]]).fetchone()[0] is None
    assert db.execute("SELECT note FROM plan_sessions WHERE plan_id = ?", [plan_id]).fetchone()[0] is None
    assert db.execute("SELECT count(*) FROM plan_sessions WHERE plan_id = ?", [plan_id]).fetchone()[0] == 1
    page = educator.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "Tenere un bilancio" not in page and "PG/2026/0001" not in page


def test_the_educator_can_save_their_own_plans_for_offline_use(educator, login, db, plan_id):
    urls = educator.get("/sync/manifest").get_json()["urls"]
    assert f"/plans/{plan_id}/sessions/new" in urls and "/plans/agenda" in urls
    assert all(not url.startswith("/households") for url in urls)
    assert not any(url.startswith("/plans") for url in login("tutor.loreto").get("/sync/manifest").get_json()["urls"])
