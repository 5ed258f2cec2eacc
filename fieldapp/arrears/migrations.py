"""The arrears team's tables: monthly ledger, flags, cases, contacts, plans, conferences."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.arrears")


@migrations()
def m001_ledger_and_cases(db):
    # Amounts are integer cents. Codes are checked against vocab.py by the views, not by CHECKs.
    db.execute("""
        CREATE TABLE ledger_imports (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL,
            filename TEXT,
            rows INTEGER NOT NULL,
            replaced INTEGER NOT NULL DEFAULT 0,
            changes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes)),
            imported_at TEXT NOT NULL,
            imported_by INTEGER REFERENCES users(id)
        )""")
    db.execute("""
        CREATE TABLE ledger_months (
            household_id INTEGER NOT NULL REFERENCES households(id),
            period TEXT NOT NULL,  -- YYYY-MM
            charged INTEGER NOT NULL,
            paid INTEGER NOT NULL,
            credits INTEGER,
            balance INTEGER NOT NULL,
            band TEXT NOT NULL,
            months_due INTEGER NOT NULL DEFAULT 0,
            import_id INTEGER NOT NULL REFERENCES ledger_imports(id),
            PRIMARY KEY (household_id, period)
        ) WITHOUT ROWID""")
    db.execute("CREATE INDEX ledger_months_period ON ledger_months(period, band)")
    db.execute("""
        CREATE TABLE arrears_flags (
            household_id INTEGER NOT NULL REFERENCES households(id),
            period TEXT NOT NULL,
            flag TEXT NOT NULL,
            PRIMARY KEY (household_id, period, flag)
        ) WITHOUT ROWID""")
    db.execute("CREATE INDEX arrears_flags_period ON arrears_flags(period)")
    db.execute("""
        CREATE TABLE arrears_cases (
            household_id INTEGER PRIMARY KEY REFERENCES households(id),
            stage TEXT NOT NULL,
            cause TEXT,
            owner_id INTEGER REFERENCES users(id),
            flagged_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1
        )""")
    db.execute("""
        CREATE TABLE arrears_contacts (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            contacted_on TEXT NOT NULL,  -- local date
            channel TEXT NOT NULL,
            outcome TEXT NOT NULL,
            note TEXT CHECK (note IS NULL OR length(note) <= 500),
            visit_uuid TEXT,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id)
        )""")
    db.execute("CREATE INDEX arrears_contacts_household ON arrears_contacts(household_id, contacted_on)")
    db.execute("""
        CREATE TABLE entitlement_checks (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            isee INTEGER NOT NULL,
            months_assigned INTEGER NOT NULL,
            eligible INTEGER NOT NULL,
            inputs TEXT NOT NULL CHECK (json_valid(inputs)),
            rule_version TEXT NOT NULL,
            checked_at TEXT NOT NULL,
            checked_by INTEGER REFERENCES users(id)
        )""")
    db.execute("""
        CREATE TABLE repayment_plans (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            debt INTEGER NOT NULL CHECK (debt > 0),
            down_payment INTEGER NOT NULL DEFAULT 0,
            instalments INTEGER NOT NULL CHECK (instalments >= 1),
            start_period TEXT NOT NULL,
            due_day INTEGER NOT NULL,
            grace_days INTEGER NOT NULL,
            status TEXT NOT NULL,
            covered INTEGER NOT NULL DEFAULT 0,
            missed INTEGER NOT NULL DEFAULT 0,
            inputs TEXT NOT NULL CHECK (json_valid(inputs)),
            rule_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            reconciled_period TEXT
        )""")
    db.execute("CREATE INDEX repayment_plans_household ON repayment_plans(household_id, status)")
    db.execute("""
        CREATE TABLE plan_instalments (
            plan_id INTEGER NOT NULL REFERENCES repayment_plans(id),
            number INTEGER NOT NULL,
            due_on TEXT NOT NULL,
            amount INTEGER NOT NULL,
            PRIMARY KEY (plan_id, number)
        ) WITHOUT ROWID""")
    db.execute("""
        CREATE TABLE conferences (
            id INTEGER PRIMARY KEY,
            held_on TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id)
        )""")
    db.execute("""
        CREATE TABLE conference_items (
            id INTEGER PRIMARY KEY,
            conference_id INTEGER NOT NULL REFERENCES conferences(id),
            household_id INTEGER NOT NULL REFERENCES households(id),
            reasons TEXT NOT NULL CHECK (json_valid(reasons)),
            decision TEXT,
            owner_id INTEGER REFERENCES users(id),
            due_on TEXT,
            decided_at TEXT,
            UNIQUE (conference_id, household_id)
        )""")


@migrations()
def m002_followups_from_decisions(db):
    # A follow-up may now come from a case-conference decision instead of a visit. SQLite cannot
    # drop a NOT NULL, so the table is rebuilt with the same rows (visits' indexes recreated).
    db.execute("""
        CREATE TABLE followups_new (
            uuid TEXT PRIMARY KEY,
            visit_uuid TEXT REFERENCES visits(uuid),
            decision_id INTEGER REFERENCES conference_items(id),
            household_id INTEGER NOT NULL REFERENCES households(id),
            action TEXT NOT NULL,
            due_on TEXT NOT NULL,
            assignee_id INTEGER NOT NULL REFERENCES users(id),
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
            done_at TEXT,
            done_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            client_created_at TEXT,
            created_by INTEGER NOT NULL REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            content_hash TEXT,
            CHECK (visit_uuid IS NOT NULL OR decision_id IS NOT NULL)
        )""")
    db.execute("""INSERT INTO followups_new (uuid, visit_uuid, household_id, action, due_on, assignee_id,
                      status, done_at, done_by, created_at, client_created_at, created_by, version, content_hash)
                  SELECT uuid, visit_uuid, household_id, action, due_on, assignee_id, status, done_at, done_by,
                         created_at, client_created_at, created_by, version, content_hash FROM followups""")
    db.execute("DROP TABLE followups")
    db.execute("ALTER TABLE followups_new RENAME TO followups")
    db.execute("CREATE INDEX followups_open ON followups(status, due_on)")
    db.execute("CREATE INDEX followups_household ON followups(household_id)")
    db.execute("CREATE INDEX followups_visit ON followups(visit_uuid)")
    db.execute("CREATE INDEX followups_decision ON followups(decision_id)")


@migrations()
def m003_timeline_version_on_followups(db):
    # m002 rebuilt followups after visits m002_timeline_version had put its triggers on it (a fresh
    # database runs them in that order): a follow-up's change must retire cached timelines again.
    bump = "BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'timeline'; END"
    for event in ("INSERT", "DELETE", "UPDATE"):
        db.execute(f"CREATE TRIGGER IF NOT EXISTS data_version_followups_{event.lower()} "
                   f"AFTER {event} ON followups {bump}")


@migrations()
def m004_ledger_uploads(db):
    # A sound ledger file waiting for the user's confirmation (replaces a month, or is not the next one);
    # kept a day at most, deleted once imported.
    db.execute("""
        CREATE TABLE ledger_uploads (
            token TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            filename TEXT,
            raw BLOB NOT NULL,
            created_at TEXT NOT NULL
        )""")
