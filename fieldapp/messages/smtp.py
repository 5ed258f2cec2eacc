"""Sending the queue over SMTP (standard library only), with retries that back off.

SMTP cannot be exactly-once: a sender stopped between the server's "250 OK" and the record of it sends
the message again when its claim lapses, with the same Message-ID, so the receiving side can tell.
"""
import json
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime

from fieldapp import clock
from fieldapp.messages import queue

SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
LEASE_MINUTES = 10  # a claimed message is due again after this, should its sender die mid-way


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    sender: str
    timeout: float


def server(config):
    """The SMTP server of the settings, or None while SMTP_HOST or SMTP_FROM is not set (messages wait)."""
    if not config.get("SMTP_HOST") or not config.get("SMTP_FROM"):
        return None
    security = (config.get("SMTP_SECURITY") or "starttls").lower()
    if security not in SECURITY:
        raise ValueError(f"SMTP_SECURITY must be one of {', '.join(SECURITY)}, not {security!r}")
    return Server(config["SMTP_HOST"], int(config.get("SMTP_PORT") or DEFAULT_PORTS[security]), security,
                  config.get("SMTP_USER") or None, config.get("SMTP_PASSWORD") or None, config["SMTP_FROM"],
                  float(config.get("SMTP_TIMEOUT") or 30))


def connect(s):
    """An open, authenticated SMTP session."""
    if s.security == "ssl":
        smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        if s.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if s.user:
        smtp.login(s.user, s.password or "")
    return smtp


def email_of(message, files, sender):
    """The stored message as an RFC 5322 e-mail: same Message-ID and Date on every try."""
    email = EmailMessage()
    email["Subject"] = message["subject"]
    email["From"] = sender
    email["To"] = message["recipient"]
    email["Message-ID"] = message["message_id"]
    email["Date"] = format_datetime(clock.parse(message["created_at"]))
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office answers
    for name, value in json.loads(message["headers"]).items():
        email[name] = value
    email.set_content(message["body_text"])
    email.add_alternative(message["body_html"], subtype="html")
    for file in files:
        maintype, _slash, subtype = file["mimetype"].partition("/")
        email.add_attachment(file["content"], maintype=maintype, subtype=subtype, filename=file["filename"])
    return email


def verdict(error):
    """(permanent, words) of a failed try: 5xx answers are final, 4xx and lost connections are retried."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        answer = "; ".join(f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values())
        return all(code >= 500 for code in codes), answer
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return error.smtp_code >= 500, f"{error.smtp_code} {text}"
    return False, f"{type(error).__name__}: {error}"


@dataclass
class Run:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    waiting: int = 0
    error: str | None = None
    configured: bool = True


def send_due(db, config):
    """Send every message that is due, over one connection; what happened, as a Run."""
    s = server(config)
    if s is None:
        return Run(configured=False, waiting=db.execute(
            "SELECT COUNT(*) FROM messages WHERE status = 'queued'").fetchone()[0])
    run = Run()
    if not queue.due_count(db, clock.now()):
        note_run(db, run)  # the administrator sees that the sender runs, even when nothing is due
        return run
    try:
        smtp = connect(s)
    except (OSError, smtplib.SMTPException) as error:
        run.error = verdict(error)[1]
        note_run(db, run)
        return run
    retry = config["MESSAGES_RETRY_MINUTES"]
    with smtp:
        while batch := queue.claim(db, clock.now(), LEASE_MINUTES):
            for number, message in enumerate(batch):
                try:
                    smtp.send_message(email_of(message, queue.attachments(db, message["id"]), s.sender))
                except (OSError, smtplib.SMTPException) as error:
                    permanent, words = verdict(error)
                    if queue.record_failure(db, message, words, permanent, retry):
                        run.failed += 1
                    else:
                        run.retried += 1
                    if isinstance(error, (OSError, smtplib.SMTPServerDisconnected)):
                        run.error = words  # the connection is gone: the rest wait for the next run
                        queue.release(db, [m["id"] for m in batch[number + 1:]])
                        note_run(db, run)
                        return run
                    continue
                queue.record_sent(db, message["id"])
                run.sent += 1
    note_run(db, run)
    return run


def note_run(db, run):
    at = clock.now()
    with db.atomic():
        db.execute("INSERT INTO message_sender (id, last_run_at, last_ok_at, last_error) VALUES (1, ?, ?, ?) "
                   "ON CONFLICT (id) DO UPDATE SET last_run_at = excluded.last_run_at, "
                   "last_ok_at = COALESCE(excluded.last_ok_at, last_ok_at), last_error = excluded.last_error",
                   [at, None if run.error else at, run.error])


def sender_state(db):
    return next(db.query("SELECT * FROM message_sender WHERE id = 1"), None)
