"""Contractors, interventions, the reports each one addresses and the site updates sent from phones."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.interventions")


@migrations()
def m001_contractors_and_interventions(db):
    # Services are intervention kinds, checked by the form against vocab.KINDS (the list will grow).
    db.execute("""
        CREATE TABLE contractors (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            services TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(services) AND json_type(services) = 'array'),
            contact_person TEXT,
            phone TEXT,
            email TEXT,
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            updated_at TEXT,
            version INTEGER NOT NULL DEFAULT 1
        )""")
    # Money in euro cents: sums in exports and indicators must add up to the cent.
    db.execute("""
        CREATE TABLE interventions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            contractor_id INTEGER NOT NULL REFERENCES contractors(id),
            building_id INTEGER NOT NULL REFERENCES buildings(id),
            scheduled_on TEXT NOT NULL,  -- local date, YYYY-MM-DD
            time_from TEXT NOT NULL,     -- local wall clock, HH:MM
            time_to TEXT NOT NULL,
            estimated_cost_cents INTEGER CHECK (estimated_cost_cents >= 0),
            actual_cost_cents INTEGER CHECK (actual_cost_cents >= 0),
            notes TEXT,
            tenant_instructions TEXT,
            tutor_id INTEGER REFERENCES users(id),
            status TEXT NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'notified', 'in_progress', 'done', 'cancelled')),
            cancel_reason TEXT,
            distant_confirmed INTEGER NOT NULL DEFAULT 0,
            notified_at TEXT,
            started_at TEXT,
            done_at TEXT,
            cancelled_at TEXT,
            created_at TEXT NOT NULL,
            client_created_at TEXT,
            created_by INTEGER NOT NULL REFERENCES users(id),
            updated_at TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            content_hash TEXT,
            CHECK (time_from < time_to),
            CHECK (status <> 'done' OR (actual_cost_cents IS NOT NULL AND done_at IS NOT NULL)),
            CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL)
        )""")
    db.execute("CREATE INDEX interventions_scheduled ON interventions(scheduled_on, status)")
    db.execute("CREATE INDEX interventions_building ON interventions(building_id, scheduled_on)")
    db.execute("CREATE INDEX interventions_contractor ON interventions(contractor_id, scheduled_on)")
    db.execute("""
        CREATE TABLE intervention_reports (
            intervention_id INTEGER NOT NULL REFERENCES interventions(id),
            report_uuid TEXT NOT NULL REFERENCES reports(uuid),
            PRIMARY KEY (intervention_id, report_uuid)
        )""")
    db.execute("CREATE INDEX intervention_reports_report ON intervention_reports(report_uuid)")
    # Each step or photo upload sent from a phone is a field record: its uuid makes an outbox replay harmless.
    db.execute("""
        CREATE TABLE intervention_updates (
            uuid TEXT PRIMARY KEY,
            intervention_id INTEGER NOT NULL REFERENCES interventions(id),
            action TEXT NOT NULL,
            -- Photos the phone announced: they follow the form through the outbox.
            photo_uuids TEXT NOT NULL DEFAULT '[]'
                CHECK (json_valid(photo_uuids) AND json_type(photo_uuids) = 'array'),
            created_at TEXT NOT NULL,
            client_created_at TEXT,
            created_by INTEGER NOT NULL REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            content_hash TEXT
        )""")
    db.execute("CREATE INDEX intervention_updates_intervention ON intervention_updates(intervention_id)")
