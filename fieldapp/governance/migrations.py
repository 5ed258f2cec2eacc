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


@migrations()
def m003_close_records_and_activity(db):
    # What each field record of a locked month looked like at close (a hash of the whole row): a record
    # changed, added or removed later shows as "changed after close", with the figures it moved.
    db.execute("""
        CREATE TABLE snapshot_records (
            snapshot_id INTEGER NOT NULL REFERENCES period_snapshots(id),
            source TEXT NOT NULL,
            record_id TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, source, record_id)
        )""")
    # Staff activity at close, per role and service (never per named worker): the Region report of a
    # locked month is rebuilt from this and snapshot_values only, so it comes out the same every time.
    db.execute("""
        CREATE TABLE snapshot_activity (
            snapshot_id INTEGER NOT NULL REFERENCES period_snapshots(id),
            month TEXT NOT NULL,
            role TEXT NOT NULL,
            service TEXT NOT NULL,
            records INTEGER NOT NULL,
            minutes INTEGER NOT NULL,
            PRIMARY KEY (snapshot_id, month, role, service)
        )""")


@migrations()
def m004_reports_for_any_period(db):
    # The running total since the project's start of each figure, frozen with the period's own figures.
    db.execute("""
        CREATE TABLE snapshot_to_date (
            snapshot_id INTEGER NOT NULL REFERENCES period_snapshots(id),
            indicator_code TEXT NOT NULL,
            by TEXT NOT NULL DEFAULT '',
            key TEXT NOT NULL DEFAULT '',
            value REAL,
            PRIMARY KEY (snapshot_id, indicator_code, by, key)
        )""")
    # What else the report of a closed period needs as it was at the close: targets, hourly rates, the
    # heating rules (JSON each, by name).
    db.execute("""
        CREATE TABLE snapshot_settings (
            snapshot_id INTEGER NOT NULL REFERENCES period_snapshots(id),
            name TEXT NOT NULL,
            value TEXT NOT NULL CHECK (json_valid(value)),
            PRIMARY KEY (snapshot_id, name)
        )""")
    # Minutes counted at a standard duration (records without one of their own): an estimate, said so.
    # A snapshot also keeps the months before its period, for the running total of hours.
    db.execute("ALTER TABLE snapshot_activity ADD COLUMN estimated_minutes INTEGER NOT NULL DEFAULT 0")
    # Targets the coordinator sets per indicator and project year.
    db.execute("""
        CREATE TABLE indicator_targets (
            indicator_code TEXT NOT NULL,
            period_key TEXT NOT NULL CHECK (period_key GLOB 'PY[1-9]'),
            value REAL NOT NULL CHECK (value >= 0),
            updated_at TEXT NOT NULL,
            updated_by INTEGER REFERENCES users(id),
            PRIMARY KEY (indicator_code, period_key)
        )""")
    # The hourly cost of each role, for the notional cost of the staff's hours (integer cents).
    db.execute("""
        CREATE TABLE staff_rates (
            role TEXT PRIMARY KEY,
            cents_per_hour INTEGER NOT NULL CHECK (cents_per_hour BETWEEN 0 AND 100000),
            updated_at TEXT NOT NULL,
            updated_by INTEGER REFERENCES users(id)
        )""")
