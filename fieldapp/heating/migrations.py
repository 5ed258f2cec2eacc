"""Heating contributions: seasons, building bills, allocator readings, household data, computed versions."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.heating")

# Degree-days are placeholders until the ARPA Lombardia figures for Cremona are entered
# (`flask heating degree-days SEASON N`); 2,389 GG is zone E's standard year (DPR 412/1993).
SEASONS = [
    ("2023-24", "2023-10-15", "2024-04-15", "2150", None, 1),
    ("2024-25", "2024-10-15", "2025-04-15", "2300", "2023-24", 0),
    ("2025-26", "2025-10-15", "2026-04-15", "2240", "2024-25", 0),
]


@migrations()
def m001_heating(db):
    # Quantities read from files are kept as decimal text: Decimal(str) is exact, REAL is not.
    db.execute("""
        CREATE TABLE heating_seasons (
            code TEXT PRIMARY KEY,
            starts_on TEXT NOT NULL,
            ends_on TEXT NOT NULL,
            degree_days TEXT,
            reference_season TEXT REFERENCES heating_seasons(code),
            baseline INTEGER NOT NULL DEFAULT 0,
            rule TEXT NOT NULL DEFAULT 'A' CHECK (rule IN ('A', 'B')),
            isee_ceiling_cents INTEGER
        )""")
    db["heating_seasons"].insert_all([
        {"code": c, "starts_on": s, "ends_on": e, "degree_days": gg, "reference_season": ref, "baseline": base}
        for c, s, e, gg, ref, base in SEASONS
    ])
    db.execute("""
        CREATE TABLE heating_bills (
            season TEXT NOT NULL REFERENCES heating_seasons(code),
            building_id INTEGER NOT NULL REFERENCES buildings(id),
            mwh TEXT NOT NULL,
            eur_per_mwh TEXT NOT NULL,
            fixed_eur TEXT NOT NULL,
            voluntary_share TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            PRIMARY KEY (season, building_id)
        )""")
    # One row per household per flat and season: a flat that changed household has two.
    db.execute("""
        CREATE TABLE heating_readings (
            id INTEGER PRIMARY KEY,
            season TEXT NOT NULL REFERENCES heating_seasons(code),
            building_id INTEGER NOT NULL REFERENCES buildings(id),
            unit_id INTEGER NOT NULL REFERENCES units(id),
            household_code TEXT,
            millesimi TEXT NOT NULL,
            units TEXT NOT NULL,
            estimated INTEGER NOT NULL DEFAULT 0,
            days_occupied INTEGER NOT NULL,
            imported_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX heating_readings_season ON heating_readings(season, building_id)")
    db.execute("""
        CREATE TABLE heating_household_data (
            household_code TEXT NOT NULL,
            season TEXT NOT NULL REFERENCES heating_seasons(code),
            isee_cents INTEGER,
            solidarity_cents INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (household_code, season)
        )""")
    db.execute("""
        CREATE TABLE heating_versions (
            id INTEGER PRIMARY KEY,
            season TEXT NOT NULL REFERENCES heating_seasons(code),
            version INTEGER NOT NULL,
            rule TEXT NOT NULL,
            rule_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            UNIQUE (season, version)
        )""")
    # Approved rows are never updated except to move on (in determina, credited): a recalculation
    # writes a new version instead.
    db.execute("""
        CREATE TABLE heating_contributions (
            id INTEGER PRIMARY KEY,
            version_id INTEGER NOT NULL REFERENCES heating_versions(id),
            season TEXT NOT NULL,
            household_code TEXT NOT NULL,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            cost_previous_cents INTEGER,
            cost_current_cents INTEGER NOT NULL,
            cost_current_allowed_cents INTEGER NOT NULL,
            solidarity_deducted_cents INTEGER NOT NULL DEFAULT 0,
            amount_cents INTEGER,
            status TEXT NOT NULL CHECK (status IN
                ('to_check', 'computed', 'reviewed', 'approved', 'in_determina', 'credited', 'rejected')),
            reason TEXT,
            inputs TEXT NOT NULL,
            rule TEXT NOT NULL,
            rule_version TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX heating_contributions_version ON heating_contributions(version_id)")
    db.execute("CREATE INDEX heating_contributions_household ON heating_contributions(household_code)")


@migrations()
def m002_payments_ledger(db):
    """Money paid and recovered as an append-only ledger, written when an act is carried out."""
    db.execute("ALTER TABLE heating_seasons ADD COLUMN closed_at TEXT")
    db.execute("ALTER TABLE heating_seasons ADD COLUMN closed_by INTEGER REFERENCES users(id)")
    # A round of payment: the determina (payments) and the recovery act (recoveries) that carry out the
    # differences of one version, or a recovery recorded on its own after a later check. One open per season.
    db.execute("""
        CREATE TABLE heating_acts (
            id INTEGER PRIMARY KEY,
            season TEXT NOT NULL REFERENCES heating_seasons(code),
            version_id INTEGER REFERENCES heating_versions(id),
            determina_number TEXT,
            determina_date TEXT,
            recovery_number TEXT,
            recovery_date TEXT,
            state TEXT NOT NULL CHECK (state IN ('open', 'credited')),
            opened_at TEXT NOT NULL,
            opened_by INTEGER REFERENCES users(id),
            credited_on TEXT,
            credited_at TEXT,
            credited_by INTEGER REFERENCES users(id)
        )""")
    db.execute("CREATE UNIQUE INDEX heating_acts_one_open ON heating_acts(season) WHERE state = 'open'")
    # The act's list as it was adopted: positive lines are payments, negative ones recoveries.
    db.execute("""
        CREATE TABLE heating_act_lines (
            act_id INTEGER NOT NULL REFERENCES heating_acts(id),
            household_code TEXT NOT NULL,
            unit_id INTEGER REFERENCES units(id),
            contribution_id INTEGER REFERENCES heating_contributions(id),
            computed_cents INTEGER NOT NULL,
            paid_before_cents INTEGER NOT NULL,
            amount_cents INTEGER NOT NULL CHECK (amount_cents != 0),
            reason TEXT NOT NULL,
            PRIMARY KEY (act_id, household_code, unit_id)
        )""")
    db.execute("CREATE INDEX heating_act_lines_household ON heating_act_lines(household_code)")
    db.execute("""
        CREATE TABLE heating_ledger (
            id INTEGER PRIMARY KEY,
            season TEXT NOT NULL REFERENCES heating_seasons(code),
            household_code TEXT NOT NULL,
            unit_id INTEGER REFERENCES units(id),
            version INTEGER,
            contribution_id INTEGER REFERENCES heating_contributions(id),
            act_id INTEGER NOT NULL REFERENCES heating_acts(id),
            kind TEXT NOT NULL CHECK (kind IN ('payment', 'recovery')),
            amount_cents INTEGER NOT NULL CHECK ((kind = 'payment' AND amount_cents > 0)
                                                 OR (kind = 'recovery' AND amount_cents < 0)),
            computed_cents INTEGER NOT NULL,
            paid_before_cents INTEGER NOT NULL,
            reason TEXT NOT NULL,
            act_number TEXT NOT NULL,
            act_date TEXT NOT NULL,
            credited_on TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id)
        )""")
    db.execute("CREATE INDEX heating_ledger_household ON heating_ledger(household_code, season)")
    db.execute("CREATE INDEX heating_ledger_season ON heating_ledger(season, credited_on)")
    for verb in ("UPDATE", "DELETE"):
        db.execute(f"""
            CREATE TRIGGER heating_ledger_no_{verb.lower()} BEFORE {verb} ON heating_ledger
            BEGIN SELECT RAISE(ABORT, 'heating_ledger is append-only'); END""")
    # What became of a recovery entry: the entry never changes, its collection does (history in events).
    db.execute("""
        CREATE TABLE heating_recoveries (
            entry_id INTEGER PRIMARY KEY REFERENCES heating_ledger(id),
            state TEXT NOT NULL CHECK (state IN ('to_recover', 'collected', 'offset')),
            settled_on TEXT,
            offset_entry_id INTEGER REFERENCES heating_ledger(id),
            note TEXT CHECK (note IS NULL OR length(note) <= 300),
            updated_at TEXT NOT NULL,
            updated_by INTEGER REFERENCES users(id)
        )""")
    # The equipe's decision on a case to check: an input of every later version (the latest one counts).
    db.execute("""
        CREATE TABLE heating_settlements (
            id INTEGER PRIMARY KEY,
            season TEXT NOT NULL REFERENCES heating_seasons(code),
            household_code TEXT NOT NULL,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            reason TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('pro_rata', 'estimate', 'hold', 'exclude')),
            note TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 300),
            decided_at TEXT NOT NULL,
            decided_by INTEGER REFERENCES users(id)
        )""")
    db.execute("CREATE INDEX heating_settlements_case ON heating_settlements(season, household_code, unit_id)")
    _ledger_of_earlier_credits(db)


def _ledger_of_earlier_credits(db):
    """Contributions credited before the ledger existed were paid in full, version after version:
    each becomes a payment entry under an act marked as recorded before the ledger."""
    rows = list(db.query(
        """SELECT c.id, c.season, c.household_code, c.unit_id, c.amount_cents, c.updated_at, v.id AS version_id,
                  v.version FROM heating_contributions c JOIN heating_versions v ON v.id = c.version_id
           WHERE c.status = 'credited' AND c.amount_cents > 0 ORDER BY v.season, v.version, c.id"""))
    acts, paid = {}, {}
    for row in rows:
        day = row["updated_at"][:10]
        if row["version_id"] not in acts:
            acts[row["version_id"]] = db["heating_acts"].insert({
                "season": row["season"], "version_id": row["version_id"], "determina_number": "n.d.",
                "determina_date": day, "state": "credited", "opened_at": row["updated_at"],
                "credited_on": day, "credited_at": row["updated_at"]}).last_pk
        key = (row["season"], row["household_code"], row["unit_id"])
        before = paid.get(key, 0)
        line = {"act_id": acts[row["version_id"]], "household_code": row["household_code"],
                "unit_id": row["unit_id"], "contribution_id": row["id"], "computed_cents": row["amount_cents"],
                "paid_before_cents": before, "amount_cents": row["amount_cents"], "reason": "before_ledger"}
        db["heating_act_lines"].insert(line)
        db["heating_ledger"].insert({
            **{k: v for k, v in line.items()}, "season": row["season"], "version": row["version"],
            "kind": "payment", "act_number": "n.d.", "act_date": day, "credited_on": day,
            "created_at": row["updated_at"]})
        paid[key] = before + row["amount_cents"]
