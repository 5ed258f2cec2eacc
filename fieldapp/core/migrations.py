"""Tables every area shares: the audit log and the state-change events."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.core")


@migrations()
def m001_audit_and_events(db):
    db.execute("""
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user_id INTEGER,
            username TEXT,
            action TEXT NOT NULL,
            target TEXT,
            detail TEXT,
            ip TEXT
        )""")
    db.execute("CREATE INDEX audit_log_at ON audit_log(at)")
    db.execute("CREATE INDEX audit_log_action ON audit_log(action, target)")
    # Every state change of a report, an intervention or a follow-up.
    db.execute("""
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            at TEXT NOT NULL,
            user_id INTEGER,
            from_status TEXT,
            to_status TEXT,
            note TEXT
        )""")
    db.execute("CREATE INDEX events_entity ON events(entity, entity_id, at)")
    # The audit log is append-only: the database itself refuses edits and deletions.
    db.execute("""
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""")
    db.execute("""
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""")
