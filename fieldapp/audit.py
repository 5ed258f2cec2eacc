"""The audit log and the state-change events: tables every area writes to (core's migrations make them)."""
import contextlib
import functools
import hashlib
import hmac
import json

from flask import current_app, g, has_request_context, request
from flask_login import current_user

from fieldapp.db import get_db, now

# Actions whose target is a username: stored as its keyed hash like the actor's name.
USER_TARGETS = {
    "login", "login_failed", "login_locked", "logout", "signed_out_everywhere", "user_created",
    "user_updated", "user_signed_out_everywhere", "user_deactivated", "user_reactivated",
    "user_password_reset", "throttle_cleared",
}


def pseudonym(username, secret=None):
    """The keyed hash (HMAC-SHA256, key derived from SECRET_KEY) the audit log stores for a username."""
    if username is None:
        return None
    key = _pseudonym_key(secret or current_app.config["SECRET_KEY"])
    return "h:" + hmac.new(key, username.strip().lower().encode(), hashlib.sha256).hexdigest()[:20]


@functools.lru_cache(maxsize=8)
def _pseudonym_key(secret):
    return hmac.new(secret.encode(), b"cortile-audit-usernames", hashlib.sha256).digest()


AUDIT_INSERT = "INSERT INTO audit_log (at, user_id, username, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?, ?)"


def audit(action, target=None, detail=None, user=None, db=None):
    """Append an audit-log row: logins, exports, reads of sensitive records, admin actions.

    Inside `audits_together()` the row waits for the end of the block and goes in with the others.
    """
    user = user or (current_user if has_request_context() else None)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    row = [now(), user.id if signed_in else None,
           # Never the clear name: a mistyped password in the username box must not sit in the log.
           pseudonym(user.username) if signed_in else None,
           action, pseudonym(target) if action in USER_TARGETS else target,
           json.dumps(detail) if isinstance(detail, (dict, list)) else detail,
           request.remote_addr if has_request_context() else None]
    waiting = g.get("audits_waiting") if has_request_context() else None
    if waiting is not None and db is None:
        waiting.append(row)
        return
    db = db or get_db()
    # Plain SQL: pages log each read, and sqlite-utils' insert looks the table up every time.
    with db.atomic():
        db.execute(AUDIT_INSERT, row)


@contextlib.contextmanager
def audits_together():
    """The reads a page logs (the page and each of its sections) written in ONE transaction at the end.

    Every write takes SQLite's one write lock: a household page that logged its sections one by one took
    it twice per view, and views waited on each other. Nothing is written if the block fails: the page
    is not shown then either.
    """
    outer = g.get("audits_waiting")
    if outer is not None:  # already inside one: the outer block writes them all
        yield
        return
    g.audits_waiting = []
    try:
        yield
        rows = g.audits_waiting
    finally:
        g.pop("audits_waiting", None)
    if rows:
        db = get_db()
        with db.atomic():
            db.conn.executemany(AUDIT_INSERT, rows)


def record_event(entity, entity_id, from_status, to_status, note=None, user_id=None, db=None):
    """Append a state change (who, when, from, to, note) to an entity's history."""
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    (db or get_db())["events"].insert({
        "entity": entity,
        "entity_id": str(entity_id),
        "at": now(),
        "user_id": user_id,
        "from_status": from_status,
        "to_status": to_status,
        "note": note,
    })


def history(entity, entity_id):
    """An entity's state changes, oldest first, with who made them."""
    return list(get_db().query(
        """SELECT e.*, u.username, u.display_name FROM events e
           LEFT JOIN users u ON u.id = e.user_id
           WHERE e.entity = ? AND e.entity_id = ? ORDER BY e.at, e.id""",
        [entity, str(entity_id)],
    ))


def audited_recently(action, user_id, detail, minutes=1):
    """Whether this user logged this action with this detail in the current minute (searches: once)."""
    minute = now()[:16]
    return bool(get_db().execute(
        "SELECT 1 FROM audit_log WHERE action = ? AND user_id IS ? AND detail = ? AND at >= ? LIMIT 1",
        [action, user_id, json.dumps(detail), minute]).fetchone())


def recent_audit(limit=100, offset=0, action=None, username=None, since=None, until=None, target=None):
    """Audit rows, newest first, filtered by action, user (clear name), UTC period and target."""
    clauses, params = [], []
    for column, op, value in (("action", "=", action), ("username", "=", pseudonym(username)),
                              ("at", ">=", since), ("at", "<", until), ("target", "=", target)):
        if value:
            clauses.append(f"{column} {op} ?")
            params.append(value)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = f"SELECT * FROM audit_log {where} ORDER BY id DESC"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return list(get_db().query(sql, params))

