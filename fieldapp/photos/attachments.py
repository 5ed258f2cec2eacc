"""Photos of reports and interventions: processed, stored by content, never half-stored.

The contract other areas build on:
    store_photo(db, *, owner, owner_id, photo_uuid, data, role="report", user_id, client_created_at=None) -> row
    photos_for(owner, owner_id) -> [row]
    photo_batch(db): several records and photos in one transaction, for forms that carry both.
"""
from contextlib import contextmanager

from flask import current_app
from werkzeug.exceptions import Conflict

from fieldapp.db import get_db, is_uuid, now
from fieldapp.photos import queries
from fieldapp.photos.owners import owners
from fieldapp.photos.pipeline import process
from fieldapp.photos.store import photo_store
from fieldapp.records.idempotency import content_hash

ROLES = ("report", "before", "after")


def prepare(data):
    """Check and process an upload with the configured limits; raises fieldapp.photos.PhotoError."""
    config = current_app.config
    return process(data, max_bytes=config["PHOTO_MAX_BYTES"], max_pixels=config["PHOTO_MAX_PIXELS"],
                   max_decode_bytes=int(float(config["PHOTO_DECODE_BUDGET_MB"]) * 1024 * 1024))


def read_upload(file_storage):
    """An uploaded file's bytes, reading at most one byte past the limit (enough to refuse it)."""
    return file_storage.stream.read(current_app.config["PHOTO_MAX_BYTES"] + 1)


def photo_fields(owner, owner_id, role, sha256):
    """What makes two uploads under one photo uuid the same photo."""
    return {"owner": owner, "owner_id": str(owner_id), "role": role, "sha256": sha256}


class PhotoBatch:
    """Photos written inside one transaction (see `photo_batch`)."""

    def __init__(self, db):
        self.db = db
        self.store = photo_store()
        self.created = []  # sha256 of the files this batch wrote: the only ones it may delete

    def add(self, processed, *, owner, owner_id, photo_uuid, user_id, role="report", client_created_at=None):
        """Store a processed photo: its files, then its row. The same uuid and content is a no-op."""
        if owner not in owners() or role not in ROLES or not is_uuid(photo_uuid):
            raise ValueError(f"bad photo reference: {owner}/{role}/{photo_uuid}")
        fields = photo_fields(owner, owner_id, role, processed.sha256)
        existing = queries.photo(photo_uuid, db=self.db)
        if existing is not None and existing["content_hash"] != content_hash(fields):
            raise Conflict(description=f"photo {photo_uuid} already holds other content")
        if not self.store.exists(processed.sha256):
            self.created.append(processed.sha256)
        self.store.save(processed)  # also restores the files of a replayed photo, should they be gone
        if existing is not None:
            return existing
        lat, lon = processed.gps or (None, None)
        row = {
            "uuid": photo_uuid, "sha256": processed.sha256, "owner": owner, "owner_id": str(owner_id),
            "role": role, "width": processed.width, "height": processed.height,
            "bytes": len(processed.image), "taken_at": processed.taken_at, "exif_lat": lat, "exif_lon": lon,
            "created_at": now(), "created_by": user_id, "client_created_at": client_created_at,
            "version": 1, "content_hash": content_hash(fields),
        }
        queries.insert_photo(row, db=self.db)
        return row

    def discard(self):
        """After a rollback: delete the files this batch created that no photo row uses."""
        for sha256 in self.created:
            if not queries.sha256_in_use(sha256, db=self.db):
                self.store.delete(sha256)


@contextmanager
def photo_batch(db=None):
    """One transaction for a record and its photos: files first, then rows; on failure no orphan file.

    Use it as the outermost transaction: an outer rollback after it ends would leave its files behind.
    """
    batch = PhotoBatch(db or get_db())
    try:
        with batch.db.atomic():
            yield batch
    except BaseException:
        batch.discard()
        raise


def store_photo(db, *, owner, owner_id, photo_uuid, data, role="report", user_id, client_created_at=None):
    """Process and store one photo; idempotent by photo_uuid.

    Same uuid and same resulting image: the stored row. Same uuid, other content or owner: Conflict (409).
    A bad image raises fieldapp.photos.PhotoError.
    """
    processed = prepare(data)
    with photo_batch(db) as batch:
        return batch.add(processed, owner=owner, owner_id=owner_id, photo_uuid=photo_uuid, role=role,
                         user_id=user_id, client_created_at=client_created_at)


def photos_for(owner, owner_id):
    """The photos of a report or an intervention, oldest first."""
    return queries.photos_for(owner, owner_id)
