"""A contractor hears of its booking (the tenant notice attached), of each change and of the cancellation."""
import pytest

from fieldapp.interventions import mail
from tests.smtp import pdf_text, text_of
from tests.test_interventions import building, make_reports, plan_data

FIRM = "prenotazioni@ditta-prova.example.com"


@pytest.fixture
def app(mail_app):
    return mail_app


@pytest.fixture
def send(app):
    def run():
        result = app.test_cli_runner().invoke(args=["messages", "send"])
        assert result.exit_code == 0, result.output
        return result.output
    return run


def firm(db):
    db.execute("UPDATE contractors SET email = ? WHERE name = 'Ditta Demo Pulizie Srl'", [FIRM])
    db.conn.commit()
    return str(db.execute("SELECT id FROM contractors WHERE name = 'Ditta Demo Pulizie Srl'").fetchone()[0])


def book(operator, db):
    reports = make_reports(db, building(db))
    response = operator.post("/interventions/new", data=plan_data(db, reports, contractor=firm(db),
                                                                  tenant_instructions="Liberare il cortile"))
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_booking_puts_one_email_with_the_notice_into_the_server(login, db, inbox, send):
    intervention_id = book(login("operatore"), db)
    assert "Sent 1," in send()
    [message] = inbox.received()
    assert message.rcpt_tos == [FIRM] and message["To"] == FIRM
    assert message["Subject"].startswith(f"Prenotazione n. {intervention_id}: Sgombero")
    text = text_of(message)
    address = db.execute("SELECT address FROM buildings WHERE id = (SELECT building_id FROM interventions "
                         "WHERE id = ?)", [intervention_id]).fetchone()[0]
    assert f"{address}, Cremona" in text and "8:00–12:00" in text and "cantine" in text
    [notice] = list(message.iter_attachments())
    assert notice.get_filename() == f"avviso-intervento-{intervention_id}.pdf"
    printed = pdf_text(notice.get_content())
    assert "AVVISO" in printed and "Liberare il cortile" in printed and "Tutor" not in printed
    assert "450" not in text and "€" not in text and "EUR" not in text  # the estimate stays in the office
    assert "Sent 0," in send()  # once
    assert len(inbox.received()) == 1


def test_each_change_and_the_cancellation_follow_the_booking_in_its_thread(login, db, inbox, send):
    operator = login("operatore")
    intervention_id = book(operator, db)
    assert operator.post(f"/interventions/{intervention_id}/notify", data={}).status_code == 303
    assert operator.post(f"/interventions/{intervention_id}/cancel", data={"reason": "Pioggia"}).status_code == 303
    assert "Sent 3," in send()
    booking, notified, cancelled = inbox.received()
    assert "avvisati" in text_of(notified) and notified["Subject"].startswith("Aggiornamento")
    assert cancelled["Subject"].startswith(f"Annullata: prenotazione n. {intervention_id}")
    assert "non presentarvi" in text_of(cancelled).lower() and "Pioggia" not in text_of(cancelled)
    assert notified["In-Reply-To"] == cancelled["In-Reply-To"] == booking["Message-ID"]
    assert not list(cancelled.iter_attachments())


def test_a_booking_that_rolls_back_sends_nothing(login, db, inbox, send, monkeypatch):
    real = mail.booking

    def booking_then_failure(database, intervention_id):
        real(database, intervention_id)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(mail, "booking", booking_then_failure)
    before = db.execute("SELECT COUNT(*) FROM interventions").fetchone()[0]
    operator = login("operatore")
    reports = make_reports(db, building(db))
    response = operator.post("/interventions/new", data=plan_data(db, reports, contractor=firm(db)))
    assert response.status_code == 500
    assert db.execute("SELECT COUNT(*) FROM interventions").fetchone()[0] == before
    assert db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 0
    assert "Sent 0," in send() and inbox.received() == []
