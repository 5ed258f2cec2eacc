"""The `photos` table: one row per stored photo, its file named by sha256."""
from fieldapp.db import get_db


def photo(uuid, db=None):
    return next((db or get_db()).query("SELECT * FROM photos WHERE uuid = ?", [uuid]), None)


def insert_photo(row, db=None):
    (db or get_db())["photos"].insert(row)


def photos_for(owner, owner_id, db=None):
    return list((db or get_db()).query(
        "SELECT * FROM photos WHERE owner = ? AND owner_id = ? ORDER BY created_at, rowid",
        [owner, str(owner_id)]))


def sha256_in_use(sha256, db=None):
    """Whether any photo row (committed, or in this connection's transaction) uses the file."""
    return (db or get_db()).execute("SELECT 1 FROM photos WHERE sha256 = ? LIMIT 1", [sha256]).fetchone() is not None
