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
