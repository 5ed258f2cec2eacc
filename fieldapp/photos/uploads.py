"""Photos sent with a form: paired with the uuids the phone made, all checked before anything is stored."""
from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp.db import new_uuid
from fieldapp.photos import PhotoError, attachments
from fieldapp.records.ingest import uuid_list


def received(form):
    """(announced photo uuids, [(photo uuid, file)]): the phone's uuids in file order, new ones for the rest.

    Without JavaScript no uuid comes; with the outbox, uuids may come before their files (then via /sync/photos).
    """
    announced = uuid_list(request.form.getlist("photo_uuid"))
    files = [f for f in (form.photos.data or []) if f and f.filename]  # no file chosen: one nameless part
    uuids = announced + [new_uuid() for _ in range(len(files) - len(announced))]
    return announced, list(zip(uuids, files, strict=False))


def process(uploads):
    """Every photo processed before anything is written: ([(uuid, processed photo)], [error messages])."""
    done, errors = [], []
    for number, (photo_uuid, file) in enumerate(uploads, start=1):
        try:
            done.append((photo_uuid, attachments.prepare(attachments.read_upload(file))))
        except PhotoError as error:
            errors.append(_("Photo %(number)d (%(name)s): %(error)s",
                            number=number, name=file.filename[:60], error=error.message))
    return done, errors


def store(batch, report_uuid, processed, client_created_at):
    for photo_uuid, photo in processed:
        batch.add(photo, owner="report", owner_id=report_uuid, photo_uuid=photo_uuid,
                  user_id=current_user.id, client_created_at=client_created_at)


def device_time(value):
    """The device clock as sent (ISO 8601), or None: kept for the record, never trusted."""
    value = (value or "").strip()
    return value[:40] if value and value[0].isdigit() else None
