"""SQL of users and login attempts."""
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from fieldapp import clock
from fieldapp.auth import sessions
from fieldapp.db import get_db, now

USER_COLUMNS = """u.id, u.username, u.display_name, u.role, u.presidio_code, u.active,
                  u.session_epoch, u.created_at, u.last_login_at, u.email, u.digest, p.name AS presidio_name"""


def hash_password(password):
    return generate_password_hash(password, method="scrypt")


def user_by_id(user_id, db=None):
    rows = (db or get_db()).query(
        f"SELECT {USER_COLUMNS} FROM users u LEFT JOIN presidi p ON p.code = u.presidio_code WHERE u.id = ?",
        [user_id],
    )
    return next(rows, None)


def user_for_login(username):
    """The user row with its hash, or None."""
    return next(get_db().query("SELECT * FROM users WHERE username = ?", [username]), None)


_dummy_hash = []


def password_matches(user_row, password):
    """Check the password; without a user, against a dummy hash, so both take the same time."""
    if user_row is None:
        if not _dummy_hash:
            _dummy_hash.append(hash_password(secrets.token_urlsafe(16)))
        check_password_hash(_dummy_hash[0], password)
        return False
    return check_password_hash(user_row["password_hash"], password)


def list_users(include_inactive=True):
    where = "" if include_inactive else "WHERE u.active = 1"
    return list(get_db().query(
        f"SELECT {USER_COLUMNS} FROM users u LEFT JOIN presidi p ON p.code = u.presidio_code "
        f"{where} ORDER BY u.active DESC, u.role, u.username"
    ))


def users_by_role(role, presidio_code=None):
    sql = "SELECT id, username, display_name, presidio_code, email FROM users WHERE role = ? AND active = 1"
    params = [role]
    if presidio_code:
        sql += " AND presidio_code = ?"
        params.append(presidio_code)
    return list(get_db().query(sql + " ORDER BY display_name", params))


def create_user(username, display_name, role, password, presidio_code=None, db=None, email=None):
    table = (db or get_db())["users"]
    table.insert({
        "email": email,
        "username": username,
        "display_name": display_name,
        "role": role,
        "presidio_code": presidio_code,
        "password_hash": hash_password(password),
        "active": 1,
        "session_epoch": 0,
        "created_at": now(),
    })
    return table.last_pk


def set_password(user_id, password):
    hashed = hash_password(password)  # slow on purpose: before the write lock is taken
    with get_db().atomic() as db:
        db.execute("UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ?",
                   [hashed, user_id])
        sessions.end_all(user_id, "password_reset", db=db)


def set_active(user_id, active):
    with get_db().atomic() as db:
        db.execute("UPDATE users SET active = ?, session_epoch = session_epoch + 1 WHERE id = ?",
                   [1 if active else 0, user_id])
        sessions.end_all(user_id, "deactivated" if not active else "reactivated", db=db)


def update_user(user_id, display_name, role, presidio_code):
    """Change name, role and presidio; a new role or presidio ends the user's sessions. True if it did."""
    with get_db().atomic() as db:
        old = user_by_id(user_id, db=db)
        changed_access = (old["role"], old["presidio_code"]) != (role, presidio_code)
        db.execute(
            "UPDATE users SET display_name = ?, role = ?, presidio_code = ?, "
            "session_epoch = session_epoch + ? WHERE id = ?",
            [display_name, role, presidio_code, int(changed_access), user_id])
        if changed_access:
            sessions.end_all(user_id, "access_changed", db=db)
    return changed_access


def set_email(user_id, email, digest=None):
    """The person's e-mail address (None: no e-mail), and whether they want the daily digest."""
    with get_db().atomic() as db:
        db.execute("UPDATE users SET email = ?, digest = COALESCE(?, digest) WHERE id = ?",
                   [email, None if digest is None else int(bool(digest)), user_id])


def record_login_attempt(username, ip, success):
    db = get_db()
    # Throttle rows keep the clear name (admins clear them by name), so they live only briefly.
    prune_login_attempts(db)
    db["login_attempts"].insert({"at": now(), "username": username, "ip": ip, "success": int(success)})
    if success:
        db.execute("UPDATE users SET last_login_at = ? WHERE username = ?", [now(), username])


def prune_login_attempts(db=None):
    """Delete sign-in attempts older than LOGIN_ATTEMPTS_KEEP_DAYS; returns how many went."""
    days = float(current_app.config["LOGIN_ATTEMPTS_KEEP_DAYS"])
    return (db or get_db()).execute("DELETE FROM login_attempts WHERE at < ?",
                                    [_iso(clock.utc_now() - timedelta(days=days))]).rowcount


def _failures(where, params, since, after_last_success):
    """Uncleared failures since `since` matching `where`: (count, last failure)."""
    reset = (f"AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE {where} AND success = 1), '')"
             if after_last_success else "")
    row = next(get_db().query(
        f"""SELECT COUNT(*) AS failures, MAX(at) AS last FROM login_attempts
            WHERE {where} AND success = 0 AND cleared_at IS NULL AND at >= ? {reset}""",
        [*params, since, *(params if after_last_success else [])],
    ))
    return row["failures"], row["last"]


def throttled_until(username, ip, limits):
    """Until when failures throttle this username from this address, or this address; else None.

    Never the username alone: a stranger's failures must not keep its owner out. `limits` is
    (failures per username and address, failures per address, window minutes, lockout minutes).
    """
    per_pair, per_address, window, lockout = limits
    since = _iso(clock.utc_now() - timedelta(minutes=max(window, lockout)))
    checks = [
        (_failures("username = ? AND ip = ?", [username, ip], since, True), per_pair),
        # An address guessing many usernames, with slack for a shared office; a success resets nothing.
        (_failures("ip = ?", [ip], since, False), per_address),
    ]
    for (failures, last), limit in checks:
        if failures >= limit:
            until = _parse(last) + timedelta(minutes=lockout)
            if until > clock.utc_now():
                return until
    return None


def current_throttles(limits):
    """Every throttle in force: dicts of username (None for a whole address), ip, failures, until."""
    per_pair, per_address, window, lockout = limits
    since = _iso(clock.utc_now() - timedelta(minutes=max(window, lockout)))
    pairs = get_db().query(
        """SELECT username, ip, COUNT(*) AS failures, MAX(at) AS last FROM login_attempts a
           WHERE success = 0 AND cleared_at IS NULL AND at >= ?
             AND at > COALESCE((SELECT MAX(at) FROM login_attempts s WHERE s.username = a.username
                                AND s.ip IS a.ip AND s.success = 1), '')
           GROUP BY username, ip HAVING COUNT(*) >= ?""", [since, per_pair])
    addresses = get_db().query(
        """SELECT NULL AS username, ip, COUNT(*) AS failures, MAX(at) AS last FROM login_attempts
           WHERE success = 0 AND cleared_at IS NULL AND at >= ? GROUP BY ip HAVING COUNT(*) >= ?""",
        [since, per_address])
    throttles = []
    for row in [*addresses, *pairs]:
        until = _parse(row["last"]) + timedelta(minutes=lockout)
        if until > clock.utc_now():
            throttles.append({**row, "until": _iso(until)})
    return throttles


def clear_throttle(username, ip):
    """Forget the failures behind a throttle (of one username from `ip`, or of the whole address)."""
    where, params = ("ip = ? AND username = ?", [ip, username]) if username else ("ip = ?", [ip])
    return get_db().execute(
        f"UPDATE login_attempts SET cleared_at = ? WHERE {where} AND success = 0 AND cleared_at IS NULL",
        [now(), *params]).rowcount


def _parse(value):
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
