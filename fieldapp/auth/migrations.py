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


@migrations(transactional=False)
def m002_every_role_and_tutors_need_a_presidio(db):
    """The eight roles of DESIGN.md; a tutor without a presidio is refused by the database itself.

    SQLite cannot change a CHECK in place, so the table is rebuilt; foreign keys from other tables
    keep pointing at `users`. Foreign keys can only be switched off outside a transaction, so this
    migration runs its own; run again after an interruption, it rebuilds the table again.
    """
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("DROP TABLE IF EXISTS users_new")
        db.execute("""
            CREATE TABLE users_new (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('tutor','operator','community','coordinator',
                                                   'equipe','educator','aler','admin')),
                presidio_code TEXT REFERENCES presidi(code),
                password_hash TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1,
                -- Bumped on password reset, deactivation, role or presidio change: every session ends.
                session_epoch INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                last_login_at TEXT,
                -- A tutor sees the households of their presidio: without one, a tutor could not work
                -- (and must never fall back to seeing every presidio). Kept only when deactivated.
                CHECK (role <> 'tutor' OR presidio_code IS NOT NULL OR active = 0)
            )""")
        # A tutor left without a presidio by the old schema is deactivated, never widened.
        db.execute("""
            INSERT INTO users_new SELECT id, username, display_name, role, presidio_code, password_hash,
                CASE WHEN role = 'tutor' AND presidio_code IS NULL THEN 0 ELSE active END,
                session_epoch, created_at, last_login_at
            FROM users""")
        db.execute("DROP TABLE users")
        db.execute("ALTER TABLE users_new RENAME TO users")
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign keys broken by the users rebuild: {problems[:5]}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    finally:
        db.execute("PRAGMA foreign_keys = ON")


@migrations()
def m003_server_side_sessions_and_remember_tokens(db):
    """Sessions and remember tokens live on the server, so signing out really ends them."""
    # Only hashes of the ids in cookies are stored: a copy of the database signs nobody in.
    db.execute("""
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            -- The user's session_epoch when it began: bumping the epoch still ends every session.
            epoch INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            revoked_at TEXT,
            revoked_reason TEXT,
            -- The remember-me chain this session came from, revoked with it at logout.
            remember_family TEXT,
            user_agent TEXT,
            ip TEXT
        )""")
    db.execute("CREATE INDEX sessions_user ON sessions(user_id, revoked_at)")
    db.execute("""
        CREATE TABLE remember_tokens (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            family TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id),
            epoch INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            -- Set when the token was exchanged for its successor; it stays usable a few seconds more.
            rotated_at TEXT,
            revoked_at TEXT
        )""")
    db.execute("CREATE INDEX remember_tokens_family ON remember_tokens(family)")
    db.execute("CREATE INDEX remember_tokens_user ON remember_tokens(user_id, revoked_at)")
    # An administrator clears a throttle by marking its failures, which stay in the log.
    db.execute("ALTER TABLE login_attempts ADD COLUMN cleared_at TEXT")
    db.execute("CREATE INDEX login_attempts_pair ON login_attempts(username, ip, at)")


@migrations()
def m004_email_and_digest(db):
    """Each person's e-mail address (set by the admin, changed by the person) and their daily digest."""
    db.execute("ALTER TABLE users ADD COLUMN email TEXT")
    db.execute("ALTER TABLE users ADD COLUMN digest INTEGER NOT NULL DEFAULT 1 CHECK (digest IN (0, 1))")
