"""Open311 API keys and the per-address counters that rate-limit the public pages."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.public")


@migrations()
def m001_api_keys_and_public_hits(db):
    # A key is shown once, when issued; only its sha256 is kept. The prefix lets an admin tell keys apart.
    db.execute("""
        CREATE TABLE api_keys (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            prefix TEXT NOT NULL,
            key_sha256 TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            revoked_at TEXT,
            last_used_at TEXT
        )""")
    # Requests to the public pages per address (an HMAC of it, never the address) and minute bucket;
    # rows older than an hour are pruned as new ones arrive.
    db.execute("""
        CREATE TABLE public_hits (
            kind TEXT NOT NULL,
            address TEXT NOT NULL,
            at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX public_hits_address ON public_hits(kind, address, at)")
    db.execute("CREATE INDEX public_hits_at ON public_hits(at)")
