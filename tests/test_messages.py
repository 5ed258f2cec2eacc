"""The e-mail queue over a real SMTP server: stored with the change that causes it, sent once, retried."""
import os
import subprocess

import time_machine

from fieldapp import clock
from fieldapp.db import get_db
from fieldapp.messages import cli, queue, smtp
from fieldapp.messages.mail import Attachment, Mail
from tests.conftest import ROOT, signer
from tests.smtp import SENDER, html_of, text_of

PDF = b"%PDF-1.4 a tiny test file"


def compose():
    return Mail(subject="Prova", paragraphs=["Primo paragrafo."], facts=[("Quando", "oggi")],
                links=[("Apri", "https://cortile.example.org/x")],
                attachments=[Attachment("prova.pdf", "application/pdf", PDF)])


def put(app, to="ditta@example.com", **options):
    with app.app_context():
        db = get_db()
        with db.atomic():
            return queue.queue(db, "test", "contractor", to, compose, **options)


def send(app):
    with app.app_context():
        return smtp.send_due(get_db(), app.config)


def rows(app):
    with app.app_context():
        return list(get_db().query("SELECT * FROM messages ORDER BY id"))


def test_a_queued_message_arrives_once_with_its_headers_parts_and_attachment(mail_app, inbox):
    put(mail_app)
    assert send(mail_app).sent == 1
    assert send(mail_app).sent == 0  # recorded as sent: never again
    [message] = inbox.received()
    [row] = rows(mail_app)
    assert message["Message-ID"] == row["message_id"] and row["message_id"].endswith("@example.org>")
    assert (message["From"], message["To"], message["Subject"]) == (SENDER, "ditta@example.com", "Prova")
    assert message["Auto-Submitted"] == "auto-generated" and message["Date"]
    assert "Quando: oggi" in text_of(message) and "https://cortile.example.org/x" in text_of(message)
    assert '<a href="https://cortile.example.org/x"' in html_of(message) and 'lang="it"' in html_of(message)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "prova.pdf" and attachment.get_content() == PDF
    assert row["status"] == "sent" and row["attempts"] == 1


def test_a_change_that_rolls_back_queues_nothing(mail_app, inbox):
    with mail_app.app_context():
        db = get_db()
        try:
            with db.atomic():
                queue.queue(db, "test", "contractor", "ditta@example.com", compose)
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert rows(mail_app) == [] and send(mail_app).sent == 0 and inbox.received() == []


def test_a_refused_message_is_tried_again_later_with_the_same_message_id(mail_app, inbox):
    inbox.refuse = 1
    put(mail_app)
    assert send(mail_app).retried == 1
    [row] = rows(mail_app)
    assert row["status"] == "queued" and row["last_error"].startswith("451")
    assert clock.parse(row["next_attempt_at"]) > clock.utc_now()  # backs off
    assert send(mail_app).sent == 0  # not due yet
    with time_machine.travel(clock.utc_now().timestamp() + 90, tick=False):
        assert send(mail_app).sent == 1
    [message] = inbox.received()
    assert message["Message-ID"] == row["message_id"]


def test_a_refusal_of_the_address_is_final_at_once(mail_app, inbox):
    inbox.reject = {"nobody@example.com"}
    put(mail_app, to="nobody@example.com")
    run = send(mail_app)
    assert run.failed == 1 and rows(mail_app)[0]["status"] == "failed"
    assert "550" in rows(mail_app)[0]["last_error"]


def test_a_sender_stopped_after_the_servers_ok_sends_again_with_the_same_message_id(mail_app, inbox):
    """SMTP is not exactly-once: the receiving side sees the same Message-ID twice and can drop one."""
    put(mail_app)
    with mail_app.app_context():
        db = get_db()
        [message] = queue.claim(db, clock.now(), smtp.LEASE_MINUTES)
        connection = smtp.connect(smtp.server(mail_app.config))
        connection.send_message(smtp.email_of(message, queue.attachments(db, message["id"]), SENDER))
        connection.quit()  # ... and the sender dies before recording it
    assert send(mail_app).sent == 0  # still claimed by the dead sender
    with time_machine.travel(clock.utc_now().timestamp() + 60 * (smtp.LEASE_MINUTES + 1), tick=False):
        assert send(mail_app).sent == 1
    first, second = inbox.received()
    assert first["Message-ID"] == second["Message-ID"]


def test_without_smtp_settings_messages_wait_and_the_admin_page_says_so(app, login, runner):
    put(app)
    result = runner.invoke(args=["messages", "send"])
    assert result.exit_code == 0 and "not configured" in result.output and "1 e-mail(s) wait" in result.output
    page = login("admin").get("/admin/messages").get_data(as_text=True)
    assert 'data-testid="smtp-off"' in page and "1 e-mail attende in coda" in page


def test_after_the_last_try_a_message_waits_for_the_admin_who_sends_it_again(mail_app, inbox, demo_sessions):
    mail_app.config["MESSAGES_RETRY_MINUTES"] = [1]
    inbox.refuse = 2
    put(mail_app)
    assert send(mail_app).retried == 1
    with time_machine.travel(clock.utc_now().timestamp() + 90, tick=False):
        assert send(mail_app).failed == 1
    admin = signer(mail_app, demo_sessions)("admin")
    page = admin.get("/admin/messages").get_data(as_text=True)
    assert 'data-testid="smtp-on"' in page and "451 4.3.0 Try again later" in page and "Prova" in page
    [row] = rows(mail_app)
    assert admin.post(f"/admin/messages/{row['id']}/send-again").status_code == 303
    assert admin.post(f"/admin/messages/{row['id']}/send-again").status_code == 404  # queued, not failed
    assert send(mail_app).sent == 1 and len(inbox.received()) == 1
    assert rows(mail_app)[0]["status"] == "sent"


def test_a_person_changes_their_address_and_turns_the_digest_off(app, login):
    client = login("tutor.loreto")
    assert 'value="tutor.loreto@example.org"' in client.get("/account").get_data(as_text=True)
    refused = client.post("/account/email", data={"email": "not an address", "digest": "y"})
    assert refused.status_code == 422 and "nome@example.org" in refused.get_data(as_text=True)
    assert client.post("/account/email", data={"email": "Nuova.Tutor@Example.ORG"}).status_code == 303
    with app.app_context():
        row = get_db().execute("SELECT email, digest FROM users WHERE username = 'tutor.loreto'").fetchone()
    assert tuple(row) == ("Nuova.Tutor@example.org", 0)


def test_the_looping_sender_queues_the_days_digest_sends_and_stops_when_told(mail_app, inbox, monkeypatch):
    class OneRound:
        """Stands in for the stop flag: the first wait between rounds is answered like a SIGTERM."""

        def __init__(self):
            self.stopped = False

        def is_set(self):
            return self.stopped

        def set(self):
            self.stopped = True

        def wait(self, _seconds):
            self.stopped = True

    monkeypatch.setattr(cli.threading, "Event", OneRound)
    monkeypatch.setattr(cli.signal, "signal", lambda *_args: None)
    result = mail_app.test_cli_runner().invoke(args=["messages", "send", "--loop"])
    assert result.exit_code == 0 and "Sent " in result.output
    assert {row["kind"] for row in rows(mail_app)} >= {"digest", "aler_month"}
    assert all(row["status"] == "sent" for row in rows(mail_app)) and inbox.received()


def test_gunicorn_refuses_to_send_e_mail_whose_links_lead_to_the_development_server(tmp_path):
    env = {**os.environ, "GUNICORN_BIND": "127.0.0.1:0", "CORTILE_DATABASE": str(tmp_path / "cortile.db"),
           "CORTILE_SECRET_KEY": "x", "CORTILE_DPO_CONTACT": "rpd@x.it", "CORTILE_SMTP_HOST": "smtp.example.org"}
    env.pop("CORTILE_BASE_URL", None)
    done = subprocess.run([str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "set CORTILE_BASE_URL" in done.stderr


def test_a_wrong_smtp_security_is_named_without_a_traceback(app):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_FROM="x@example.org", SMTP_SECURITY="tls")
    result = app.test_cli_runner().invoke(args=["messages", "send"])
    assert result.exit_code == 1 and "SMTP_SECURITY must be one of starttls, ssl, none" in result.output
