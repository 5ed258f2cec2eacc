"""Meetings and their next steps. No column holds a person's name: participants are counts by group."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.meetings")


@migrations()
def m001_meetings(db):
    counts = ",\n".join(
        f"            {column} INTEGER NOT NULL DEFAULT 0 CHECK ({column} BETWEEN 0 AND 500)"
        for column in ("participants_public_housing", "participants_other_residents", "participants_services",
                       "participants_third_sector", "participants_committees")
    )
    # Codes are checked against fieldapp/meetings/vocab.py by the form (see visits' migration for why).
    db.execute(f"""
        CREATE TABLE meetings (
            uuid TEXT PRIMARY KEY,
            context TEXT NOT NULL,
            building_id INTEGER REFERENCES buildings(id),
            quartiere_id INTEGER REFERENCES quartieri(id),
            held_on TEXT NOT NULL,     -- local date, YYYY-MM-DD
            start_time TEXT NOT NULL,  -- local wall clock, HH:MM
            duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
            place TEXT NOT NULL CHECK (length(place) <= 120),
            kind TEXT NOT NULL,
{counts},
            topics TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(topics) AND json_type(topics) = 'array'),
            outcomes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(outcomes) AND json_type(outcomes) = 'array'),
            summary TEXT CHECK (summary IS NULL OR length(summary) <= 500),
            created_at TEXT NOT NULL,
            client_created_at TEXT,
            created_by INTEGER NOT NULL REFERENCES users(id),
            updated_at TEXT,
            updated_by INTEGER REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            content_hash TEXT,
            CHECK ((context = 'building') = (building_id IS NOT NULL)),
            CHECK ((context = 'quartiere') = (quartiere_id IS NOT NULL))
        )""")
    db.execute("CREATE INDEX meetings_held ON meetings(context, held_on)")
    db.execute("""
        CREATE TABLE meeting_steps (
            id INTEGER PRIMARY KEY,
            meeting_uuid TEXT NOT NULL REFERENCES meetings(uuid) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 140),
            due_on TEXT NOT NULL,  -- local date, YYYY-MM-DD
            UNIQUE (meeting_uuid, position)
        )""")
