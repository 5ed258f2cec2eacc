"""Community pacts, their commitments and activities; activity photos as a new photo owner."""
import re

from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.pacts")


@migrations()
def m001_pacts(db):
    # Signatories are a count: their names stay with the Quartieri e Beni Comuni office.
    db.execute("""
        CREATE TABLE pacts (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            place_kind TEXT NOT NULL CHECK (place_kind IN ('building', 'point')),
            building_id INTEGER REFERENCES buildings(id),
            common_area TEXT,
            place_name TEXT NOT NULL CHECK (length(place_name) BETWEEN 1 AND 120),
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            quartiere_id INTEGER NOT NULL REFERENCES quartieri(id),
            presidio_code TEXT REFERENCES presidi(code),
            office TEXT NOT NULL,
            signatories INTEGER NOT NULL CHECK (signatories BETWEEN 1 AND 500),
            proposed_on TEXT NOT NULL,
            signed_on TEXT,
            ends_on TEXT,
            closed_on TEXT,
            status TEXT NOT NULL DEFAULT 'proposal' CHECK (status IN
                ('proposal', 'review', 'signed', 'active', 'check', 'closed', 'renewed', 'revoked')),
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            CHECK ((place_kind = 'building') = (building_id IS NOT NULL))
        )""")
    db.execute("CREATE INDEX pacts_presidio ON pacts(presidio_code, status)")
    db.execute("""
        CREATE TABLE pact_commitments (
            id INTEGER PRIMARY KEY,
            pact_id INTEGER NOT NULL REFERENCES pacts(id),
            side TEXT NOT NULL CHECK (side IN ('residents', 'municipality')),
            role TEXT NOT NULL CHECK (length(role) BETWEEN 1 AND 120),
            action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 200),
            frequency TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX pact_commitments_pact ON pact_commitments(pact_id)")
    db.execute("""
        CREATE TABLE pact_activities (
            uuid TEXT PRIMARY KEY,
            pact_id INTEGER NOT NULL REFERENCES pacts(id),
            held_on TEXT NOT NULL,
            volunteers INTEGER NOT NULL CHECK (volunteers BETWEEN 0 AND 500),
            person_hours REAL NOT NULL CHECK (person_hours BETWEEN 0 AND 5000),
            meeting_uuid TEXT REFERENCES meetings(uuid),
            note TEXT CHECK (note IS NULL OR length(note) <= 300),
            expected_photos INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            client_created_at TEXT,
            created_by INTEGER NOT NULL REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            content_hash TEXT
        )""")
    db.execute("CREATE INDEX pact_activities_pact ON pact_activities(pact_id, held_on)")


OWNER_CHECK = re.compile(r"owner IN \(([^)]*)\)")


@migrations()
def m002_activity_photos(db):
    """Photos may belong to a pact activity: the photos table is rebuilt with the owner added to its CHECK.

    The CHECK is read from the live schema and extended, so owners other areas added are kept.
    """
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'photos'").fetchone()[0]
    owners = OWNER_CHECK.search(sql)
    if owners is None or "'pact_activity'" in owners.group(1):
        return
    new_sql = OWNER_CHECK.sub(f"owner IN ({owners.group(1)}, 'pact_activity')", sql, count=1)
    indexes = [row[0] for row in db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'photos' AND sql IS NOT NULL")]
    db.execute(re.sub(r"CREATE TABLE (\[?photos\]?|\"photos\")", "CREATE TABLE photos_rebuilt", new_sql, count=1))
    db.execute("INSERT INTO photos_rebuilt SELECT * FROM photos")
    db.execute("DROP TABLE photos")
    db.execute("ALTER TABLE photos_rebuilt RENAME TO photos")
    for index in indexes:
        db.execute(index)
