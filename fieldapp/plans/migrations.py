"""Individual educational plans: people (codes only), plans, goals, sessions, reviews."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.plans")


@migrations()
def m001_plans(db):
    # A person is a pseudonymous code and a birth decade: no name, no fiscal code, no diagnosis.
    db.execute("""
        CREATE TABLE plan_persons (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            birth_band TEXT NOT NULL,
            household_id INTEGER REFERENCES households(id),  -- NULL once the retention policy ran
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id)
        )""")
    # The signed agreement stays on paper: only its protocol number is kept (scans carry names).
    db.execute("""
        CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES plan_persons(id),
            educator_id INTEGER NOT NULL REFERENCES users(id),
            referrer TEXT NOT NULL,
            agreed_on TEXT NOT NULL,
            protocol TEXT NOT NULL CHECK (length(protocol) BETWEEN 1 AND 40),
            review_on TEXT NOT NULL,
            objectives TEXT NOT NULL DEFAULT '' CHECK (length(objectives) <= 1000),
            expected_results TEXT NOT NULL DEFAULT '' CHECK (length(expected_results) <= 1000),
            supports TEXT NOT NULL DEFAULT '' CHECK (length(supports) <= 1000),
            commitments TEXT NOT NULL DEFAULT '' CHECK (length(commitments) <= 1000),
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
            closed_on TEXT,
            closing_reason TEXT,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            CHECK ((status = 'closed') = (closed_on IS NOT NULL AND closing_reason IS NOT NULL))
        )""")
    db.execute("CREATE INDEX plans_educator ON plans(educator_id, status, review_on)")
    db.execute("CREATE INDEX plans_person ON plans(person_id)")
    db.execute("""
        CREATE TABLE plan_goals (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id),
            domain TEXT NOT NULL,
            text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
            baseline TEXT NOT NULL DEFAULT '' CHECK (length(baseline) <= 200),
            target TEXT NOT NULL DEFAULT '' CHECK (length(target) <= 200),
            created_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX plan_goals_plan ON plan_goals(plan_id)")
    db.execute("""
        CREATE TABLE plan_sessions (
            uuid TEXT PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id),
            held_on TEXT NOT NULL,
            duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
            kind TEXT NOT NULL,
            goal_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(goal_ids) AND json_type(goal_ids) = 'array'),
            note TEXT CHECK (note IS NULL OR length(note) <= 300),
            created_at TEXT NOT NULL,
            client_created_at TEXT,
            created_by INTEGER NOT NULL REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            content_hash TEXT
        )""")
    db.execute("CREATE INDEX plan_sessions_plan ON plan_sessions(plan_id, held_on)")
    db.execute("""
        CREATE TABLE plan_reviews (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id),
            reviewed_on TEXT NOT NULL,
            note TEXT CHECK (note IS NULL OR length(note) <= 300),
            next_review_on TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id)
        )""")
    db.execute("""
        CREATE TABLE plan_review_scores (
            review_id INTEGER NOT NULL REFERENCES plan_reviews(id),
            goal_id INTEGER NOT NULL REFERENCES plan_goals(id),
            score INTEGER NOT NULL CHECK (score BETWEEN -2 AND 2),
            PRIMARY KEY (review_id, goal_id)
        )""")


@migrations()
def m002_anonymised(db):
    # When the retention policy emptied a closed plan (see fieldapp/plans/retention.py).
    db.execute("ALTER TABLE plans ADD COLUMN anonymised_at TEXT")
