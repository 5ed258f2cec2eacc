"""SQL of users and login attempts."""
from datetime import datetime, timedelta, timezone

from werkzeug.security import check_password_hash, generate_password_hash

from fieldapp import clock
from fieldapp.db import get_db, now

USER_COLUMNS = """u.id, u.username, u.display_name, u.role, u.presidio_code, u.active,
                  u.session_epoch, u.created_at, u.last_login_at, p.name AS presidio_name"""


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


def password_matches(user_row, password):
    return check_password_hash(user_row["password_hash"], password)


def list_users(include_inactive=True):
    where = "" if include_inactive else "WHERE u.active = 1"
    return list(get_db().query(
        f"SELECT {USER_COLUMNS} FROM users u LEFT JOIN presidi p ON p.code = u.presidio_code "
        f"{where} ORDER BY u.active DESC, u.role, u.username"
    ))


def users_by_role(role, presidio_code=None):
    sql = "SELECT id, username, display_name, presidio_code FROM users WHERE role = ? AND active = 1"
    params = [role]
    if presidio_code:
        sql += " AND presidio_code = ?"
        params.append(presidio_code)
    return list(get_db().query(sql + " ORDER BY display_name", params))


def create_user(username, display_name, role, password, presidio_code=None, db=None):
    table = (db or get_db())["users"]
    table.insert({
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
    get_db().execute(
        "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ?",
        [hash_password(password), user_id],
    )


def set_active(user_id, active):
    get_db().execute(
        "UPDATE users SET active = ?, session_epoch = session_epoch + 1 WHERE id = ?",
        [1 if active else 0, user_id],
    )


def record_login_attempt(username, ip, success):
    db = get_db()
    db["login_attempts"].insert({"at": now(), "username": username, "ip": ip, "success": int(success)})
    if success:
        db.execute("UPDATE users SET last_login_at = ? WHERE username = ?", [now(), username])


def locked_until(username, ip, max_failures, window_minutes, lockout_minutes):
    """When too many recent failures lock this username (or this address), until when; else None."""
    since = _iso(clock.utc_now() - timedelta(minutes=max(window_minutes, lockout_minutes)))
    db = get_db()
    checks = [
        ("username = ?", username, max_failures),
        # One address guessing many usernames is locked too, with more slack for shared offices.
        ("ip = ?", ip, max_failures * 4),
    ]
    for where, value, limit in checks:
        row = next(db.query(
            f"""SELECT COUNT(*) AS failures, MAX(at) AS last FROM login_attempts
                WHERE {where} AND success = 0 AND at >= ?
                  AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE {where} AND success = 1), '')""",
            [value, since, value],
        ))
        if row["failures"] >= limit:
            until = datetime.strptime(row["last"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            until += timedelta(minutes=lockout_minutes)
            if until > clock.utc_now():
                return until
    return None


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
