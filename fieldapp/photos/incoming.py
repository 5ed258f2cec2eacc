"""Photos sent one by one after their record (POST /sync/photos): who may add them, stored exactly once."""
from flask import current_app
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from fieldapp.photos import attachments, queries
from fieldapp.photos.owners import owners
from fieldapp.photos.pipeline import PhotoError
from fieldapp.records import ingest

UPLOADERS = ("tutor", "operator", "community", "coordinator")
ROLES = attachments.ROLES


class Refused(Exception):
    """An upload the server will not store, with its HTTP status, a stable code and a message."""

    def __init__(self, status, code, message):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def owner_id_of(owner, ref):
    """The stored id of the record `ref` names, if the signed-in user may add photos to it; or Refused."""
    declared = owners().get(owner)
    if declared is None:
        raise Refused(404, "owner_not_found", f"There are no {owner} records here.")
    try:
        record = declared.find(ref)
    except NotFound:
        raise Refused(404, "owner_not_found", f"No {owner} {ref} that you can see.") from None
    except Forbidden:
        raise Refused(403, "forbidden", f"You may not add photos to this {owner}.") from None
    return str(record[declared.column])


def store(db, *, owner, owner_id, photo_uuid, upload, role, user_id, client_created_at=None):
    """Store the uploaded photo through the field-record rule; ("stored" | "duplicate", row). Raises Refused.

    What makes a photo "the same" is the processed image (its sha256), so the image is processed
    first, outside any transaction; the replay check, the rows and the files follow (fieldapp.records.ingest).
    """
    data = attachments.read_upload(upload)
    if len(data) > current_app.config["PHOTO_MAX_BYTES"]:
        raise Refused(413, "too_large", "The photo is over the size limit.")
    try:
        processed = attachments.prepare(data)
    except PhotoError as error:
        raise Refused(413 if error.code == "too_large" else 422, error.code, error.message) from error
    saved = {}

    def save(batch, uuid, _fingerprint):
        saved["row"] = batch.add(processed, owner=owner, owner_id=owner_id, photo_uuid=uuid, role=role,
                                 user_id=user_id, client_created_at=client_created_at)

    def answer(uuid, _replay):
        # A replay, or a twin request that stored it a moment earlier: the row already there.
        return ("stored", saved["row"]) if "row" in saved else ("duplicate", queries.photo(uuid, db=db))

    fields = attachments.photo_fields(owner, owner_id, role, processed.sha256)
    try:
        return ingest.field_record("photos", photo_uuid, fields, validate=None, store=save, location=None,
                                   answer=answer, transaction=lambda: attachments.photo_batch(db))
    except Conflict as error:
        raise Refused(409, "conflict", "This photo uuid already holds another photo or record.") from error
