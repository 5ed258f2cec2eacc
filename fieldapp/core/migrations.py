"""Tables every area shares: the audit log and the state-change events."""
import re
import unicodedata

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


# The text rule (fieldapp/text.py) as it was when this migration was written, frozen here: line breaks
# as \n, NFC, and no control character but tab and newline, no bidi control.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_DROPPED = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
# Never rewritten: the append-only audit log and the money ledgers (what was paid stays as it was recorded).
_UNTOUCHED = {"audit_log", "audit_pseudonymising", "heating_ledger", "ledger_months"}


@migrations()
def m002_text_rule(db):
    """Records stored before the text rule get it: the text of every other table, cleaned where it differs."""
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if name not in _UNTOUCHED and not name.startswith(("sqlite_", "_"))]
    for table in tables:
        info = db.execute(f"PRAGMA table_info([{table}])").fetchall()
        columns = [row[1] for row in info if "TEXT" in (row[2] or "").upper()]
        key = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]] or ["rowid"]  # WITHOUT ROWID: its key
        if not columns:
            continue
        names = ", ".join(f"[{c}]" for c in key + columns)
        for row in db.execute(f"SELECT {names} FROM [{table}]").fetchall():
            values = row[len(key):]
            changed = {column: _clean(value) for column, value in zip(columns, values, strict=True)
                       if isinstance(value, str) and _clean(value) != value}
            if changed:
                assignments = ", ".join(f"[{column}] = ?" for column in changed)
                where = " AND ".join(f"[{k}] = ?" for k in key)
                db.execute(f"UPDATE [{table}] SET {assignments} WHERE {where}", [*changed.values(), *row[:len(key)]])


def _clean(value):
    return unicodedata.normalize("NFC", _DROPPED.sub("", _BREAKS.sub("\n", value)))
