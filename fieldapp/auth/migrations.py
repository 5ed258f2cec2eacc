"""Users and the login attempts that throttling counts."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.auth")


@migrations()
def m001_users(db):
    db.execute("""
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('tutor','operator','community','coordinator','admin')),
            presidio_code TEXT REFERENCES presidi(code),
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            -- Bumped on password reset or deactivation: every open session ends.
            session_epoch INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            last_login_at TEXT
        )""")
    # Kept in the database, not in memory, so a lockout holds across worker processes.
    db.execute("""
        CREATE TABLE login_attempts (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            username TEXT NOT NULL COLLATE NOCASE,
            ip TEXT,
            success INTEGER NOT NULL
        )""")
    db.execute("CREATE INDEX login_attempts_username ON login_attempts(username, at)")
    db.execute("CREATE INDEX login_attempts_ip ON login_attempts(ip, at)")
