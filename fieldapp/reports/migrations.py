"""Reports of common areas and the photos table (shared with interventions)."""
from sqlite_utils.migrations import Migrations

from fieldapp.messages import addresses

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


@migrations(transactional=False)
def m002_resident_reports_and_aler(db):
    """Reports from residents (no author, a source, a follow-up token) and the ALER hand-over.

    - `source`: who filed it: staff in the app, a resident on /segnala, a partner app over Open311.
    - `created_by` may be NULL: a resident has no account.
    - `public_token`: the reporter's unguessable follow-up token (never the uuid); `reporter_contact`
      is optional and is personal data, shown to staff only.
    - New statuses for a report passed to ALER: `with_aler` (passed, waiting), `aler_taken` (ALER took
      it on); ALER's resolution sets `resolved` with `aler_resolved_at`.
    SQLite cannot change a CHECK or a NOT NULL in place, so the table is rebuilt like users in auth m002.
    """
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("DROP TABLE IF EXISTS reports_new")
        db.execute("""
            CREATE TABLE reports_new (
                uuid TEXT PRIMARY KEY,
                building_id INTEGER NOT NULL REFERENCES buildings(id),
                area TEXT NOT NULL,
                category TEXT NOT NULL,
                severity TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'new' CHECK (status IN
                    ('new', 'verified', 'planned', 'in_progress', 'resolved', 'rejected', 'duplicate',
                     'with_aler', 'aler_taken')),
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
                created_by INTEGER REFERENCES users(id),
                updated_at TEXT,
                version INTEGER NOT NULL DEFAULT 1,
                content_hash TEXT,
                source TEXT NOT NULL DEFAULT 'staff' CHECK (source IN ('staff', 'resident', 'open311')),
                public_token TEXT UNIQUE,
                reporter_contact TEXT,
                api_key_id INTEGER,
                aler_passed_at TEXT,
                aler_taken_at TEXT,
                aler_resolved_at TEXT,
                CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL)),
                CHECK (source <> 'staff' OR created_by IS NOT NULL),
                CHECK (status NOT IN ('with_aler', 'aler_taken') OR aler_passed_at IS NOT NULL)
            )""")
        db.execute("""
            INSERT INTO reports_new (uuid, building_id, area, category, severity, description, status,
                duplicate_of, lat, lon, location_source, location_accuracy, distance_m, far,
                expected_photos, created_at, client_created_at, created_by, updated_at, version,
                content_hash)
            SELECT uuid, building_id, area, category, severity, description, status,
                duplicate_of, lat, lon, location_source, location_accuracy, distance_m, far,
                expected_photos, created_at, client_created_at, created_by, updated_at, version,
                content_hash
            FROM reports""")
        db.execute("DROP TABLE reports")
        db.execute("ALTER TABLE reports_new RENAME TO reports")
        db.execute("CREATE INDEX reports_building ON reports(building_id, status)")
        db.execute("CREATE INDEX reports_status ON reports(status, created_at)")
        db.execute("CREATE INDEX reports_created ON reports(created_at)")
        db.execute("CREATE INDEX reports_created_by ON reports(created_by, created_at)")
        db.execute("CREATE INDEX reports_source ON reports(source, created_at)")
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign keys broken by the reports rebuild: {problems[:5]}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    finally:
        db.execute("PRAGMA foreign_keys = ON")


@migrations()
def m003_timeline_version(db):
    # Reports show on the household timeline (visits m002_timeline_version): a change retires its
    # cached fragments. A later migration that rebuilds this table must create these triggers again.
    db.execute("INSERT OR IGNORE INTO data_versions (name) VALUES ('timeline')")
    bump = "BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'timeline'; END"
    for event in ("INSERT", "DELETE", "UPDATE"):
        db.execute(f"CREATE TRIGGER data_version_reports_{event.lower()} AFTER {event} ON reports {bump}")


@migrations()
def m004_reporter_email_and_phone(db):
    """The reporter's contact, one free text until now (Open311 joined name, e-mail and phone into it),
    becomes a checked e-mail address and a phone number; the name is no longer kept.

    `reporter_updates`: the reporter asked for an e-mail at each change of status (the /segnala form says so
    from now on); reports filed before were not told, so they get none.
    """
    db.execute("ALTER TABLE reports ADD COLUMN reporter_email TEXT")
    db.execute("ALTER TABLE reports ADD COLUMN reporter_phone TEXT")
    db.execute("ALTER TABLE reports ADD COLUMN reporter_updates INTEGER NOT NULL DEFAULT 0 "
               "CHECK (reporter_updates IN (0, 1))")
    for uuid, contact in db.execute("SELECT uuid, reporter_contact FROM reports "
                                    "WHERE reporter_contact IS NOT NULL").fetchall():
        db.execute("UPDATE reports SET reporter_email = ?, reporter_phone = ? WHERE uuid = ?",
                   [addresses.find_email(contact), addresses.find_phone(contact), uuid])
    db.execute("ALTER TABLE reports DROP COLUMN reporter_contact")
