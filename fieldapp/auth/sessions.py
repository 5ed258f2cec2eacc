"""SQL of server-side sessions and remember-me tokens: what the cookies point at, and how it ends."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app

from fieldapp import clock
from fieldapp.db import get_db

# last_seen_at is written at most this often: a write per request would serialise the workers.
TOUCH_SECONDS = 60
KEEP_EXPIRED_DAYS = 30


def new_token():
    return secrets.token_urlsafe(32)


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _later(**delta):
    return clock.iso(clock.utc_now() + timedelta(**delta))


def start(user_row, user_agent=None, ip=None, remember_family=None, db=None):
    """Open a session for the user; returns the id to put in the (signed) session cookie."""
    db = db or get_db()
    token = new_token()
    hours = float(current_app.config["SESSION_LIFETIME_HOURS"])
    # Keep the tables small: rows long past their expiry can sign nobody in (the audit log keeps who).
    stale = _later(days=-KEEP_EXPIRED_DAYS)
    db.execute("DELETE FROM sessions WHERE expires_at < ?", [stale])
    db.execute("DELETE FROM remember_tokens WHERE expires_at < ?", [stale])
    db["sessions"].insert({
        "token_hash": token_hash(token),
        "user_id": user_row["id"],
        "epoch": user_row["session_epoch"],
        "created_at": clock.now(),
        "last_seen_at": clock.now(),
        "expires_at": _later(hours=hours),
        "remember_family": remember_family,
        "user_agent": (user_agent or "")[:120] or None,
        "ip": ip,
    })
    return token


def user_for_session(token, db=None):
    """The session's user id when the session is open, unexpired, and its user active; else None."""
    db = db or get_db()
    row = next(db.query(
        """SELECT s.id, s.user_id, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
           WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?
             AND u.active = 1 AND u.session_epoch = s.epoch""",
        [token_hash(token), clock.now()],
    ), None)
    if row is None:
        return None
    if row["last_seen_at"] < clock.iso(clock.utc_now() - timedelta(seconds=TOUCH_SECONDS)):
        db.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", [clock.now(), row["id"]])
    return row["user_id"]


def issue_remember_token(user_row, family=None, db=None):
    """A new remember-me token for the user (a new chain unless `family` continues one)."""
    db = db or get_db()
    token = new_token()
    db["remember_tokens"].insert({
        "token_hash": token_hash(token),
        "family": family or new_token(),
        "user_id": user_row["id"],
        "epoch": user_row["session_epoch"],
        "created_at": clock.now(),
        "expires_at": _later(days=float(current_app.config["REMEMBER_DAYS"])),
    })
    return token


def redeem_remember_token(token, db=None):
    """Exchange a remember token: (user_id, family, successor or None), or None when it is not valid.

    A token is good once; its successor is returned. Replayed within the grace period (parallel
    requests of one phone) it still signs in, without a new successor. Replayed later, someone holds
    a copy: the whole chain is revoked.
    """
    db = db or get_db()
    row = next(db.query(
        """SELECT t.*, u.session_epoch AS user_epoch, u.active FROM remember_tokens t
           JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?""",
        [token_hash(token)],
    ), None)
    now = clock.now()
    if row is None or row["revoked_at"] or row["expires_at"] <= now or not row["active"] \
            or row["user_epoch"] != row["epoch"]:
        return None
    if row["rotated_at"]:
        grace = float(current_app.config["REMEMBER_GRACE_SECONDS"])
        if row["rotated_at"] >= clock.iso(clock.utc_now() - timedelta(seconds=grace)):
            return row["user_id"], row["family"], None
        revoke_family(row["family"], db=db)
        return None
    # Only one of two simultaneous exchanges wins the rotation; the other is inside the grace period.
    claimed = db.execute(
        "UPDATE remember_tokens SET rotated_at = ? WHERE id = ? AND rotated_at IS NULL", [now, row["id"]]
    ).rowcount
    if not claimed:
        return row["user_id"], row["family"], None
    user = {"id": row["user_id"], "session_epoch": row["epoch"]}
    return row["user_id"], row["family"], issue_remember_token(user, family=row["family"], db=db)


def revoke_family(family, db=None):
    (db or get_db()).execute(
        "UPDATE remember_tokens SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL",
        [clock.now(), family],
    )


def end_remember_chain(token, db=None):
    """Revoke the chain of a remember-me token (the browser signing out holds it)."""
    db = db or get_db()
    row = next(db.query("SELECT family FROM remember_tokens WHERE token_hash = ?", [token_hash(token)]), None)
    if row:
        revoke_family(row["family"], db=db)


def end(token, reason="logout", db=None):
    """Revoke one session and the remember-me chain it came from."""
    if not token:
        return
    db = db or get_db()
    row = next(db.query("SELECT id, remember_family FROM sessions WHERE token_hash = ?", [token_hash(token)]),
               None)
    if row is None:
        return
    db.execute("UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL",
               [clock.now(), reason, row["id"]])
    if row["remember_family"]:
        revoke_family(row["remember_family"], db=db)


def end_all(user_id, reason, db=None):
    """Revoke every session and remember token of a user; returns how many sessions were open."""
    db = db or get_db()
    now = clock.now()
    ended = db.execute(
        "UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE user_id = ? AND revoked_at IS NULL "
        "AND expires_at > ?", [now, reason, user_id, now],
    ).rowcount
    db.execute("UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE user_id = ? AND revoked_at IS NULL",
               [now, reason, user_id])
    db.execute("UPDATE remember_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
               [now, user_id])
    return ended


def open_sessions(user_id, db=None):
    """The user's sessions that are still open, newest first."""
    return list((db or get_db()).query(
        """SELECT id, token_hash, created_at, last_seen_at, expires_at, user_agent, ip,
                  remember_family IS NOT NULL AS remembered
           FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY last_seen_at DESC""",
        [user_id, clock.now()],
    ))
