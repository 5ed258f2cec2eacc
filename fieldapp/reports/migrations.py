"""Reports of common areas and the photos table (shared with interventions)."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.reports")


@migrations()
def m001_reports_and_photos(db):
    # Area, category and severity are checked by the form, not the schema: the
    # vocabularies will grow, and SQLite cannot change a CHECK without a table copy.
    db.execute("""
        CREATE TABLE reports (
            uuid TEXT PRIMARY KEY,
            building_id INTEGER NOT NULL REFERENCES buildings(id),
            area TEXT NOT NULL,
            category TEXT NOT NULL,
            severity TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN
                ('new', 'verified', 'planned', 'in_progress', 'resolved', 'rejected', 'duplicate')),
            duplicate_of TEXT REFERENCES reports(uuid),
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            location_source TEXT NOT NULL CHECK (location_source IN ('device', 'photo', 'building')),
            location_accuracy REAL,
            distance_m REAL,
            far INTEGER NOT NULL DEFAULT 0,
            expected_photos INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            client_created_at TEXT,
            created_by INTEGER NOT NULL REFERENCES users(id),
            updated_at TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            content_hash TEXT,
            CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL))
        )""")
    db.execute("CREATE INDEX reports_building ON reports(building_id, status)")
    db.execute("CREATE INDEX reports_status ON reports(status, created_at)")
    db.execute("CREATE INDEX reports_created ON reports(created_at)")
    db.execute("CREATE INDEX reports_created_by ON reports(created_by, created_at)")
    # Photos of reports and of interventions (before/after); files live in the
    # photo store by sha256, so one file may back several rows.
    db.execute("""
        CREATE TABLE photos (
            uuid TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            owner TEXT NOT NULL CHECK (owner IN ('report', 'intervention')),
            owner_id TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'report' CHECK (role IN ('report', 'before', 'after')),
            width INTEGER,
            height INTEGER,
            bytes INTEGER,
            taken_at TEXT,
            exif_lat REAL,
            exif_lon REAL,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            client_created_at TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            content_hash TEXT
        )""")
    db.execute("CREATE INDEX photos_owner ON photos(owner, owner_id, created_at)")
    db.execute("CREATE INDEX photos_sha256 ON photos(sha256)")
