"""The e-mail queue: a message is stored in the transaction of the change that causes it, then sent.

A change that rolls back takes its messages with it. A message recorded as sent is never picked again;
one that keeps failing waits, with its error, for an administrator to send it again.
"""
import json
import uuid
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale

from fieldapp import clock
from fieldapp.messages.mail import MAIL_LOCALE, as_html, as_text

AUDIENCES = ("staff", "contractor", "aler", "resident")


def message_domain(config):
    """The domain of our Message-IDs: the sender's, else the site's."""
    sender = parseaddr(config.get("SMTP_FROM") or "")[1]
    return sender.rpartition("@")[2] or urlsplit(config["BASE_URL"]).hostname or "cortile.invalid"


def queue(db, kind, audience, to, compose, *, ref=None, once_key=None, user_id=None, thread=False):
    """Queue one e-mail to `to` inside the caller's transaction; its id, or None when nothing is queued.

    Nothing is queued without an address, or when `once_key` was queued before. `compose()` returns the
    `Mail` and is called in the mail language. `thread`: the message answers the first one sent to the
    same address about the same `ref` (mail programs show a booking and its changes together).
    """
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    if not to:
        return None
    if once_key and db.execute("SELECT 1 FROM messages WHERE once_key = ?", [once_key]).fetchone():
        return None
    with force_locale(MAIL_LOCALE):
        mail = compose()
        text, html = as_text(mail), as_html(mail)
    headers = dict(mail.headers)
    if thread and ref:
        first = db.execute("SELECT message_id FROM messages WHERE ref = ? AND recipient = ? ORDER BY id LIMIT 1",
                           [ref, to]).fetchone()
        if first:
            headers.update({"In-Reply-To": first[0], "References": first[0]})
    at = clock.now()
    with db.atomic():
        message_id = db["messages"].insert({
            "message_id": f"<{uuid.uuid4().hex}@{message_domain(current_app.config)}>", "kind": kind,
            "audience": audience, "recipient": to, "user_id": user_id, "ref": ref, "once_key": once_key,
            "subject": str(mail.subject), "body_text": text, "body_html": html, "headers": json.dumps(headers),
            "status": "queued", "attempts": 0, "next_attempt_at": at, "created_at": at}).last_pk
        for attachment in mail.attachments:
            db["message_attachments"].insert({"message_id": message_id, "filename": attachment.filename,
                                              "mimetype": attachment.mimetype, "content": attachment.content})
    return message_id


def due_count(db, at):
    return db.execute("SELECT COUNT(*) FROM messages WHERE status = 'queued' AND next_attempt_at <= ? "
                      "AND (claimed_until IS NULL OR claimed_until <= ?)", [at, at]).fetchone()[0]


def claim(db, at, lease_minutes, limit=20):
    """Take up to `limit` due messages for this sender until the lease ends; each try is counted now."""
    until = clock.iso(clock.parse(at) + timedelta(minutes=lease_minutes))
    with db.atomic():  # BEGIN IMMEDIATE: two senders never take the same message
        ids = [row[0] for row in db.execute(
            "SELECT id FROM messages WHERE status = 'queued' AND next_attempt_at <= ? "
            "AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY next_attempt_at, id LIMIT ?",
            [at, at, limit]).fetchall()]
        marks = ", ".join("?" * len(ids))
        if ids:
            db.execute(f"UPDATE messages SET claimed_until = ?, attempts = attempts + 1 WHERE id IN ({marks})",
                       [until, *ids])
    return list(db.query(f"SELECT * FROM messages WHERE id IN ({marks}) ORDER BY next_attempt_at, id", ids)) \
        if ids else []


def release(db, ids):
    """Claimed messages this sender did not try: due again at once, their try not counted."""
    if ids:
        with db.atomic():
            db.execute(f"UPDATE messages SET claimed_until = NULL, attempts = attempts - 1 "
                       f"WHERE id IN ({', '.join('?' * len(ids))}) AND status = 'queued'", ids)


def attachments(db, message_id):
    return list(db.query("SELECT filename, mimetype, content FROM message_attachments WHERE message_id = ? "
                         "ORDER BY id", [message_id]))


def record_sent(db, message_id):
    with db.atomic():
        db.execute("UPDATE messages SET status = 'sent', sent_at = ?, claimed_until = NULL, last_error = NULL "
                   "WHERE id = ? AND status = 'queued'", [clock.now(), message_id])


def record_failure(db, message, error, permanent, retry_minutes):
    """A try that failed: due again after the next wait of `retry_minutes`, or failed after the last one."""
    tries = message["attempts"]
    failed = permanent or tries > len(retry_minutes)
    wait = timedelta(minutes=0 if failed else float(retry_minutes[tries - 1]))
    with db.atomic():
        db.execute("UPDATE messages SET status = ?, next_attempt_at = ?, claimed_until = NULL, last_error = ? "
                   "WHERE id = ? AND status = 'queued'",
                   ["failed" if failed else "queued", clock.iso(clock.utc_now() + wait), error[:500],
                    message["id"]])
    return failed


def send_again(db, message_id):
    """A failed message goes back in the queue, due now, with its tries counted afresh."""
    with db.atomic():
        return db.execute("UPDATE messages SET status = 'queued', attempts = 0, next_attempt_at = ?, "
                          "claimed_until = NULL WHERE id = ? AND status = 'failed'",
                          [clock.now(), message_id]).rowcount


def forget(db, refs):
    """Delete the messages about `refs` (retention, erasure), inside the caller's transaction."""
    refs = list(refs)
    if not refs:
        return 0
    marks = ", ".join("?" * len(refs))
    db.execute(f"DELETE FROM message_attachments WHERE message_id IN (SELECT id FROM messages WHERE ref IN ({marks}))",
               refs)
    return db.execute(f"DELETE FROM messages WHERE ref IN ({marks})", refs).rowcount


def counts(db):
    """{status: messages} of the whole queue."""
    return dict(db.execute("SELECT status, COUNT(*) FROM messages GROUP BY status").fetchall())


def listing(db, status, limit=100):
    """Messages in `status`, oldest first, without their bodies (the admin page shows no content)."""
    return list(db.query(
        "SELECT id, kind, audience, recipient, subject, status, attempts, next_attempt_at, last_error, created_at, "
        "sent_at FROM messages WHERE status = ? ORDER BY created_at, id LIMIT ?", [status, limit]))
