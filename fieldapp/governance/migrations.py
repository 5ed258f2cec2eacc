"""Governance tables: indicator metadata, locked periods and their snapshots."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.governance")


@migrations()
def m001_indicators(db):
    # Metadata only: the numbers come from the function named in `numerator` (an area's queries.py),
    # never from SQL stored here. Rows are refreshed from fieldapp.governance.registry at start.
    db.execute("""
        CREATE TABLE indicators (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            service TEXT NOT NULL,
            unit TEXT NOT NULL,
            factor INTEGER NOT NULL DEFAULT 1,
            period_types TEXT NOT NULL CHECK (json_valid(period_types)),
            disaggregations TEXT NOT NULL CHECK (json_valid(disaggregations)),
            numerator TEXT NOT NULL,
            denominator TEXT,
            source_tables TEXT NOT NULL CHECK (json_valid(source_tables)),
            updated_at TEXT NOT NULL
        )""")


@migrations()
def m002_period_close(db):
    # A locked period; reopening deletes the row (period_events keeps who, when and why).
    # starts_on/ends_on are inclusive local days (privacy retention reads them).
    db.execute("""
        CREATE TABLE locked_periods (
            period_key TEXT PRIMARY KEY,
            kind TEXT NOT NULL DEFAULT 'month',
            starts_on TEXT NOT NULL,
            ends_on TEXT NOT NULL,
            locked_at TEXT NOT NULL,
            locked_by INTEGER NOT NULL REFERENCES users(id),
            snapshot_id INTEGER NOT NULL REFERENCES period_snapshots(id)
        )""")
    db.execute("""
        CREATE TABLE period_snapshots (
            id INTEGER PRIMARY KEY,
            period_key TEXT NOT NULL,
            taken_at TEXT NOT NULL,
            taken_by INTEGER NOT NULL REFERENCES users(id)
        )""")
    db.execute("CREATE INDEX period_snapshots_period ON period_snapshots(period_key, taken_at)")
    # One figure of one indicator; by = '' and key = '' is the total.
    db.execute("""
        CREATE TABLE snapshot_values (
            snapshot_id INTEGER NOT NULL REFERENCES period_snapshots(id),
            indicator_code TEXT NOT NULL,
            by TEXT NOT NULL DEFAULT '',
            key TEXT NOT NULL DEFAULT '',
            value REAL,
            PRIMARY KEY (snapshot_id, indicator_code, by, key)
        )""")
    db.execute("""
        CREATE TABLE period_events (
            id INTEGER PRIMARY KEY,
            period_key TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('locked', 'reopened')),
            reason TEXT,
            at TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id),
            CHECK (action <> 'reopened' OR length(trim(reason)) > 0)
        )""")
    db.execute("CREATE INDEX period_events_period ON period_events(period_key, at)")
