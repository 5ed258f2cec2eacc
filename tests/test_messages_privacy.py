"""No household data in any e-mail, nor on the administrator's pages about them: every message of every
kind is read as it arrived (subject, headers, text, HTML, the attached notice) and searched for household
codes, people's codes, names and amounts."""
import re

import pytest

from fieldapp.reports.api import set_status
from tests.smtp import pdf_text
from tests.test_governance_aler import a_report, pass_to_aler
from tests.test_messages_contractor import book
from tests.test_messages_governance import with_photo
from tests.test_messages_residents import file_report

AMOUNT = re.compile(r"€|\bEUR\b|\beuro\b|\b\d{1,3}(\.\d{3})*,\d{2}\b", re.I)


@pytest.fixture
def app(mail_app):
    return mail_app


def forbidden(db):
    """Household codes, plan people's codes, people's names (staff and contractors' contacts)."""
    words = [r["code"] for r in db.query("SELECT code FROM households")]
    words += [r["code"] for r in db.query("SELECT code FROM plan_persons")]
    words += [r["display_name"] for r in db.query("SELECT display_name FROM users")]
    words += [r["contact_person"] for r in db.query("SELECT contact_person FROM contractors "
                                                    "WHERE contact_person IS NOT NULL")]
    return ["DEMO-", "PEI-", *sorted(set(words), key=len, reverse=True)]


def everything_in(message):
    parts = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if part.get_content_maintype() == "multipart":
            continue
        content = part.get_content()
        parts.append(pdf_text(content) if isinstance(content, bytes) else content)
    return "\n".join(parts)


def test_no_email_of_any_kind_carries_household_data_names_or_amounts(app, db, login, client, inbox):
    operator = login("operatore")
    intervention_id = book(operator, db)  # the booking, with the tenant notice
    operator.post(f"/interventions/{intervention_id}/notify", data={})
    operator.post(f"/interventions/{intervention_id}/cancel", data={"reason": "Pioggia, avvisare Mario Rossi"})
    aler = a_report(db, "aler", "verified")
    with_photo(app, aler["uuid"])
    assert pass_to_aler(operator, aler, note="Parlare con DEMO-BLO-001").status_code == 303
    uuid, _token = file_report(client, db)
    db.execute("UPDATE reports SET status = 'in_progress' WHERE uuid = ?", [uuid])
    db.conn.commit()
    with app.test_request_context():
        set_status(uuid, "resolved", note="Fatto, costo 120,00 EUR")
    login("coordinatrice").post("/governance/close/2026-10/lock", data={"acknowledge": "yes"})
    assert app.test_cli_runner().invoke(args=["messages", "digest"]).exit_code == 0
    waiting = login("admin").get("/admin/messages").get_data(as_text=True)
    assert "r•••@example.org" in waiting and "residente@example.org" not in waiting and "DEMO-" not in waiting
    assert "failed 0" in app.test_cli_runner().invoke(args=["messages", "send"]).output

    kinds = {row[0] for row in db.execute("SELECT DISTINCT kind FROM messages")}
    assert kinds == {"booking", "booking_changed", "booking_cancelled", "aler_report", "report_status", "month_closed",
                     "digest", "aler_month"}
    words = forbidden(db)
    for message in inbox.received():
        content = everything_in(message)
        found = [w for w in words if w in content] + AMOUNT.findall(content)
        assert found == [], f"{message['Subject']}: {found}"
