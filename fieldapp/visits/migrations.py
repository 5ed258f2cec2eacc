"""Home visits and follow-ups."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.visits")


@migrations()
def m001_visits_and_followups(db):
    # Codes are checked against fieldapp/visits/vocab.py by the forms, not here: the closed
    # vocabularies grow with practice, and SQLite cannot alter a CHECK without rebuilding the table.
    db.execute("""
        CREATE TABLE visits (
            uuid TEXT PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            visited_at TEXT NOT NULL,  -- local wall clock, YYYY-MM-DDTHH:MM
            kind TEXT NOT NULL,
            present TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(present) AND json_type(present) = 'array'),
            present_count INTEGER NOT NULL DEFAULT 0 CHECK (present_count BETWEEN 0 AND 20),
            topics TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(topics) AND json_type(topics) = 'array'),
            frailty TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(frailty) AND json_type(frailty) = 'array'),
            arrears_trend TEXT,
            repayment_plan TEXT,
            referrals TEXT NOT NULL DEFAULT '[]'
                CHECK (json_valid(referrals) AND json_type(referrals) = 'array'),
            outcome TEXT NOT NULL,
            note TEXT CHECK (note IS NULL OR length(note) <= 500),
            created_at TEXT NOT NULL,
            client_created_at TEXT,
            created_by INTEGER NOT NULL REFERENCES users(id),
            updated_at TEXT,
            updated_by INTEGER REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            content_hash TEXT
        )""")
    db.execute("CREATE INDEX visits_household ON visits(household_id, visited_at)")
    db.execute("""
        CREATE TABLE followups (
            uuid TEXT PRIMARY KEY,
            visit_uuid TEXT NOT NULL REFERENCES visits(uuid),
            household_id INTEGER NOT NULL REFERENCES households(id),
            action TEXT NOT NULL,
            due_on TEXT NOT NULL,  -- local date, YYYY-MM-DD
            assignee_id INTEGER NOT NULL REFERENCES users(id),
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
            done_at TEXT,
            done_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            client_created_at TEXT,
            created_by INTEGER NOT NULL REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            content_hash TEXT
        )""")
    db.execute("CREATE INDEX followups_open ON followups(status, due_on)")
    db.execute("CREATE INDEX followups_household ON followups(household_id)")
    db.execute("CREATE INDEX followups_visit ON followups(visit_uuid)")


@migrations()
def m002_timeline_version(db):
    # The household timeline's write counter (see registry m004_data_versions): any change to a visit or
    # a follow-up retires the cached timeline fragments. Reports bump it from their own migration.
    db.execute("INSERT OR IGNORE INTO data_versions (name) VALUES ('timeline')")
    bump = "BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'timeline'; END"
    for table in ("visits", "followups"):
        for event in ("INSERT", "DELETE", "UPDATE"):
            db.execute(f"CREATE TRIGGER data_version_{table}_{event.lower()} AFTER {event} ON {table} {bump}")


@migrations()
def m003_visit_duration(db):
    # How long a visit took, in minutes, when the tutor says so: staff hours for the report to the Region.
    # Older visits have none; the report counts them at a standard duration, marked as an estimate.
    db.execute("ALTER TABLE visits ADD COLUMN duration_minutes INTEGER "
               "CHECK (duration_minutes IS NULL OR duration_minutes BETWEEN 5 AND 480)")
