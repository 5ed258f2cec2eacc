"""The sync protocol's JSON endpoints (a data API of its own, apart from the HTML pages).

- GET  /sync/token     a fresh CSRF token and who is signed in, before the outbox replays.
- POST /sync/photos    one photo of a record already sent (multipart); idempotent by uuid and sha256.
- GET  /sync/manifest  the URLs of the signed-in user's working set, to save on the phone.

Field forms themselves are posted to their own URLs; a post marked `X-Cortile-Outbox` that succeeds
answers 204 with the record's URL in `X-Cortile-Location` instead of a redirect, so a replay does not
fetch (and audit-log) a page nobody looks at.
"""
from flask import jsonify, request
from flask_babel import force_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from fieldapp import offline
from fieldapp.access import ROLES, STAFF, allow
from fieldapp.db import get_db, is_uuid
from fieldapp.photos import incoming as photos
from fieldapp.photos.owners import owners
from sync.blueprint import bp


@bp.get("/token")
@allow(*ROLES)
def token():
    """A fresh CSRF token, fetched by the outbox before it replays saved forms."""
    return jsonify(csrf_token=generate_csrf(), user=current_user.id)


@bp.post("/photos")
@allow(*photos.UPLOADERS)
def photo_upload():
    form = request.form
    # Device uuids in one spelling: the same uuid in capitals is the same photo, the same record.
    uuid, owner = form.get("uuid", "").strip().lower(), form.get("owner", "")
    owner_id = form.get("owner_id", "").strip().lower()
    role = form.get("role") or "report"
    upload = request.files.get("file")
    if not is_uuid(uuid):
        return error(400, "bad_uuid", "The photo needs a uuid made on the device.")
    if owner not in owners() or role not in photos.ROLES:
        return error(400, "bad_owner", f"owner must be one of {', '.join(sorted(owners()))}; "
                                       "role 'report', 'before' or 'after'.")
    if upload is None:
        return error(400, "no_file", "The request carries no file.")
    try:
        owner_id = photos.owner_id_of(owner, owner_id)
        status, row = photos.store(get_db(), owner=owner, owner_id=owner_id, photo_uuid=uuid, upload=upload,
                                   role=role, user_id=current_user.id,
                                   client_created_at=(form.get("client_created_at") or "")[:40] or None)
    except photos.Refused as refused:
        return error(refused.status, refused.code, refused.message)
    return jsonify(status=status, uuid=row["uuid"], sha256=row["sha256"]), 201 if status == "stored" else 200


@bp.get("/manifest")
@allow(*STAFF, "educator")
def manifest():
    """The pages a user needs in the field, for "Prepare for offline use"; their presidio (or plans) only."""
    urls = offline.urls_for(current_user)
    return jsonify(urls=urls, count=len(urls))


def error(status, code, message):
    """A JSON error in English: {"error": code, "message": ...}."""
    with force_locale("en"):
        return jsonify(error=code, message=str(message)), status
