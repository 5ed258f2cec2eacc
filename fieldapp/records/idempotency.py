"""The uuid a device gives each field record is its idempotency key.

The same uuid with the same content is a replay: answer with the stored record, store nothing.
The same uuid with different content is a conflict: 409, and the device keeps its copy.
"""
import contextlib
import hashlib
import json
import sqlite3

from flask import abort

from fieldapp import text
from fieldapp.db import get_db, is_uuid


def content_hash(fields):
    """A stable fingerprint of a record's submitted content (dict of JSON-able values)."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def replayed(table, uuid, fields, key="uuid"):
    """The stored row when this submission was already received; 409 when the uuid holds other content.

    Returns None for a new uuid: the caller stores the record with `content_hash(fields)`.
    Uuids are compared in lowercase: the same uuid in capitals is the same record.
    """
    uuid = str(uuid).strip().lower()
    if not is_uuid(uuid):
        abort(400, description="uuid")
    row = next(get_db().query(f"SELECT * FROM [{table}] WHERE [{key}] = ?", [uuid]), None)
    if row is None:
        return None
    if row["content_hash"] not in (content_hash(fields), content_hash(as_sent(fields))):
        abort(409)
    return row


def as_sent(fields):
    """`fields` with each text the text rule changed put back as the phone sent it (fieldapp.text).

    A record stored before the rule has the fingerprint of what was sent, and a migration may since have
    cleaned its text: the same phone sending the same form again is a replay, not a conflict.
    """
    originals = text.originals()
    if isinstance(fields, str):
        return originals.get(fields, fields)
    if isinstance(fields, dict):
        return {key: as_sent(value) for key, value in fields.items()}
    if isinstance(fields, list | tuple):
        return [as_sent(value) for value in fields]
    return fields


@contextlib.contextmanager
def stored_once(table, uuid, fields, key="uuid"):
    """Around the insert of a new field record: when the same form arrived twice at once and the
    other request stored it first, the unique uuid refuses this insert, and that is success."""
    try:
        yield
    except sqlite3.IntegrityError:
        if not replayed(table, uuid, fields, key):
            raise
