"""The registry: quartieri, presidi, buildings, units and households."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.registry")


@migrations()
def m001_registry(db):
    # Quartieri are data, not code: the city plans to redraw them.
    db.execute("""
        CREATE TABLE quartieri (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE presidi (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            quartiere_id INTEGER REFERENCES quartieri(id),
            address TEXT
        )""")
    db.execute("""
        CREATE TABLE buildings (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            address TEXT NOT NULL,
            quartiere_id INTEGER NOT NULL REFERENCES quartieri(id),
            presidio_code TEXT REFERENCES presidi(code),
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            owner TEXT NOT NULL CHECK (owner IN ('comune', 'aler')),
            district_heating INTEGER NOT NULL DEFAULT 0,
            pilot_area TEXT CHECK (pilot_area IN ('borgo_loreto', 'pagliari'))
        )""")
    db.execute("CREATE INDEX buildings_presidio ON buildings(presidio_code)")
    db.execute("CREATE INDEX buildings_quartiere ON buildings(quartiere_id)")
    db.execute("""
        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            building_id INTEGER NOT NULL REFERENCES buildings(id),
            scala TEXT NOT NULL DEFAULT '',
            piano TEXT NOT NULL DEFAULT '',
            interno TEXT NOT NULL,
            UNIQUE (building_id, scala, interno)
        )""")
    # Pseudonymous codes only: no names, fiscal codes or health details.
    db.execute("""
        CREATE TABLE households (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            members INTEGER NOT NULL CHECK (members BETWEEN 1 AND 20),
            tutor_id INTEGER REFERENCES users(id),
            arrears_band TEXT NOT NULL DEFAULT 'none'
                CHECK (arrears_band IN ('none', 'upto_500', '500_2000', 'over_2000')),
            heating_eligible INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1
        )""")
    db.execute("CREATE INDEX households_tutor ON households(tutor_id)")
    # One active household per flat; those who moved out keep their history.
    db.execute("CREATE UNIQUE INDEX households_active_unit ON households(unit_id) WHERE active = 1")


@migrations()
def m002_units_by_building(db):
    # Building pages list their flats; without this index that is a full scan.
    db.execute("CREATE INDEX units_building ON units(building_id)")


@migrations()
def m003_units_floor_area(db):
    # Optional floor area (m2), imported as superficie_m2 / area_m2: the energy observatory divides by it.
    db.execute("ALTER TABLE units ADD COLUMN area_m2 REAL")


@migrations()
def m004_data_versions(db):
    # A write counter per group of tables, kept by triggers so that every writer (any worker, the
    # importer, the arrears import, a CLI command) counts: cached page fragments are keyed by it
    # (fieldapp.fragments), so a write retires them on the next read.
    db.execute("CREATE TABLE data_versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 0)")
    db.execute("INSERT INTO data_versions (name) VALUES ('registry')")
    bump = "BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'registry'; END"
    for table in ("quartieri", "presidi", "buildings", "units", "households", "users"):
        for event in ("INSERT", "DELETE", "UPDATE"):
            # Of users, the registry shows only the tutor's name: sign-ins do not retire fragments.
            what = "UPDATE OF display_name" if table == "users" and event == "UPDATE" else event
            db.execute(f"CREATE TRIGGER data_version_{table}_{event.lower()} AFTER {what} ON {table} {bump}")
