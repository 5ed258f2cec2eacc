"""The e-mail queue: each message as it will be sent, its attachments, and the sender's last run."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.messages")


@migrations()
def m001_messages(db):
    # A message is stored whole when the change that causes it commits (subject, text and HTML already
    # written in Italian), so sending is transport only. Recipients are addresses, not user rows: ALER,
    # contractors and residents have no account.
    db.execute("""
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            -- The Message-ID header, fixed when queued: a retry carries the same one.
            message_id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            audience TEXT NOT NULL CHECK (audience IN ('staff', 'contractor', 'aler', 'resident')),
            recipient TEXT NOT NULL,
            user_id INTEGER,
            -- What the message is about ("report:<uuid>", "intervention:<id>"): retention and threads.
            ref TEXT,
            -- A message queued at most once (a day's digest, a month's summary).
            once_key TEXT UNIQUE,
            subject TEXT NOT NULL,
            body_text TEXT NOT NULL,
            body_html TEXT NOT NULL,
            headers TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(headers)),
            status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            -- A sender working on it until then; after that (a sender killed mid-way) it is due again.
            claimed_until TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        )""")
    db.execute("CREATE INDEX messages_due ON messages(status, next_attempt_at)")
    db.execute("CREATE INDEX messages_ref ON messages(ref)")
    db.execute("""
        CREATE TABLE message_attachments (
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            filename TEXT NOT NULL,
            mimetype TEXT NOT NULL,
            content BLOB NOT NULL
        )""")
    db.execute("CREATE INDEX message_attachments_message ON message_attachments(message_id)")
    # One row: when the sender last ran, and what went wrong with the server (shown on the admin page).
    db.execute("""
        CREATE TABLE message_sender (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last_run_at TEXT,
            last_ok_at TEXT,
            last_error TEXT
        )""")
