"""The report workflow: who may verify, reject, mark duplicates and reclassify; what interventions may do."""
import html

import pytest

from fieldapp.reports import workflow
from fieldapp.reports.workflow import BY_HAND, BY_INTERVENTION, TRANSITIONS


def text(response):
    return html.unescape(response.get_data(as_text=True))


def a_report(db, status="new", presidio="P-BLO"):
    return next(db.query(
        """SELECT r.* FROM reports r JOIN buildings b ON b.id = r.building_id
           WHERE r.status = ? AND b.presidio_code = ? ORDER BY r.created_at DESC LIMIT 1""", [status, presidio]))


def reload(db, uuid):
    return next(db.query("SELECT * FROM reports WHERE uuid = ?", [uuid]))


def events(db, uuid):
    return [(e["from_status"], e["to_status"], e["note"]) for e in db.query(
        "SELECT * FROM events WHERE entity = 'report' AND entity_id = ? ORDER BY id", [uuid])]


def decide(client, report, to, **fields):
    return client.post(f"/reports/{report['uuid']}/status", data={"to": to, "version": report["version"], **fields})


def test_the_table_follows_the_design():
    by_hand = {pair for pair, by in TRANSITIONS.items() if by == BY_HAND}
    assert by_hand == {("new", "verified"), ("new", "rejected"), ("new", "duplicate"),
                       ("verified", "rejected"), ("verified", "duplicate")}
    by_intervention = {pair for pair, by in TRANSITIONS.items() if by == BY_INTERVENTION}
    assert {("verified", "planned"), ("planned", "in_progress"), ("in_progress", "resolved"),
            ("planned", "verified"), ("in_progress", "verified")} <= by_intervention
    assert not any(frm in ("resolved", "rejected", "duplicate") for frm, _to in TRANSITIONS)


@pytest.mark.parametrize("username", ["operatore", "coordinatrice"])
def test_operator_and_coordinator_verify_a_new_report(login, db, username):
    report = a_report(db)
    response = decide(login(username), report, "verified")
    assert response.status_code == 303
    assert reload(db, report["uuid"])["status"] == "verified"
    assert events(db, report["uuid"])[-1] == ("new", "verified", None)
    user = next(db.query("SELECT id FROM users WHERE username = ?", [username]))["id"]
    assert db.execute("SELECT user_id FROM events WHERE entity_id = ? ORDER BY id DESC",
                      [report["uuid"]]).fetchone()[0] == user


@pytest.mark.parametrize("username", ["tutor.loreto", "community", "admin"])
def test_others_cannot_change_the_status(login, db, username):
    report = a_report(db)
    assert decide(login(username), report, "verified").status_code == 403
    assert reload(db, report["uuid"])["status"] == "new"


def test_rejecting_needs_a_reason_which_goes_in_the_history(login, db):
    client, report = login("operatore"), a_report(db, "verified")
    refused = decide(client, report, "rejected", note="  ")
    assert refused.status_code == 422 and "Scrivi il motivo" in text(refused)
    assert reload(db, report["uuid"])["status"] == "verified"
    assert decide(client, report, "rejected", note="Non è una parte comune.").status_code == 303
    assert events(db, report["uuid"])[-1] == ("verified", "rejected", "Non è una parte comune.")


def test_a_duplicate_points_to_the_report_it_repeats(login, db):
    client = login("operatore")
    original, report = a_report(db, "verified"), a_report(db, "new")
    page = text(client.get(f"/reports/{report['uuid']}"))
    assert "Segna come doppione" in page
    assert decide(client, report, "duplicate").status_code == 422
    assert decide(client, report, "duplicate", duplicate_of=report["uuid"]).status_code == 422
    assert decide(client, report, "duplicate", duplicate_of=original["uuid"]).status_code == 303
    stored = reload(db, report["uuid"])
    assert (stored["status"], stored["duplicate_of"]) == ("duplicate", original["uuid"])
    assert original["uuid"][:8] in text(client.get(f"/reports/{report['uuid']}"))


def test_a_rejected_report_cannot_be_the_original(login, db):
    report, rejected = a_report(db, "new"), a_report(db, "rejected")
    assert decide(login("operatore"), report, "duplicate", duplicate_of=rejected["uuid"]).status_code == 422


@pytest.mark.parametrize("status, to", [("new", "resolved"), ("new", "planned"), ("resolved", "verified"),
                                        ("rejected", "verified"), ("planned", "rejected")])
def test_moves_outside_the_table_are_refused(login, db, status, to):
    report = a_report(db, status)
    response = decide(login("operatore"), report, to, note="x")
    assert response.status_code == 422 and "non può passare" in text(response)
    assert reload(db, report["uuid"])["status"] == status


def test_a_stale_decision_is_a_conflict(login, db):
    client, report = login("operatore"), a_report(db)
    client.post(f"/reports/{report['uuid']}/classification",
                data={"category": "other", "severity": "minor", "version": report["version"]})
    response = decide(client, report, "verified")
    assert response.status_code == 409 and reload(db, report["uuid"])["status"] == "new"


def test_repeating_a_decision_changes_nothing(login, db):
    client, report = login("operatore"), a_report(db)
    decide(client, report, "verified")
    assert decide(client, report, "verified").status_code == 303
    assert [e[1] for e in events(db, report["uuid"])].count("verified") == 1


def test_the_operator_changes_category_and_severity(login, db):
    client, report = login("operatore"), a_report(db)
    category = "damage" if report["category"] != "damage" else "waste"
    response = client.post(f"/reports/{report['uuid']}/classification",
                           data={"category": category, "severity": "urgent", "version": report["version"]})
    assert response.status_code == 303
    stored = reload(db, report["uuid"])
    assert (stored["category"], stored["severity"], stored["version"]) == (category, "urgent", report["version"] + 1)
    note = events(db, report["uuid"])[-1][2]
    assert "Categoria:" in note and "Gravità:" in note


def test_a_tutor_cannot_reclassify(login, db):
    report = a_report(db)
    response = login("tutor.loreto").post(f"/reports/{report['uuid']}/classification",
                                          data={"category": "other", "severity": "minor", "version": 1})
    assert response.status_code == 403


def test_decisions_are_offered_to_the_operator_only(login, db):
    report = a_report(db)
    assert "Decisioni dell'operatore" in text(login("operatore").get(f"/reports/{report['uuid']}"))
    assert "Decisioni dell'operatore" not in text(login("tutor.loreto").get(f"/reports/{report['uuid']}"))


# --- for the interventions area --------------------------------------------------------------

def test_interventions_move_a_verified_report_to_resolved(app, db):
    report = a_report(db, "verified")
    with app.test_request_context():
        for to in ("planned", "in_progress", "resolved"):
            assert workflow.set_status(report["uuid"], to, note="Intervento 7")["status"] == to
    assert [e[:2] for e in events(db, report["uuid"])][-3:] == [
        ("verified", "planned"), ("planned", "in_progress"), ("in_progress", "resolved")]


@pytest.mark.parametrize("status", ["planned", "in_progress"])
def test_a_cancelled_intervention_sends_its_reports_back_to_verified(app, db, status):
    report = a_report(db, status)
    with app.test_request_context():
        assert workflow.set_status(report["uuid"], "verified", note="Intervento annullato")["status"] == "verified"
    assert events(db, report["uuid"])[-1] == (status, "verified", "Intervento annullato")


@pytest.mark.parametrize("status, to", [("new", "planned"), ("resolved", "verified"), ("rejected", "planned"),
                                        ("new", "verified")])
def test_interventions_cannot_skip_the_operator(app, db, status, to):
    report = a_report(db, status)
    with app.test_request_context(), pytest.raises(workflow.TransitionError):
        workflow.set_status(report["uuid"], to)
    assert reload(db, report["uuid"])["status"] == status


def test_set_status_again_is_a_no_op(app, db):
    report = a_report(db, "planned")
    with app.test_request_context():
        workflow.set_status(report["uuid"], "planned")
    assert reload(db, report["uuid"])["version"] == report["version"]


def test_set_status_of_an_unknown_report(app):
    with app.test_request_context(), pytest.raises(LookupError):
        workflow.set_status("00000000-0000-4000-8000-000000000000", "planned")
