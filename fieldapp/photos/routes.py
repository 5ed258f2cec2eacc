"""GET /photos/<uuid> and its thumbnail: served to whoever may see the record the photo belongs to; and
/photos/shared/<token>: a photo behind a signed link that expires (for ALER's office, in an e-mail)."""
from flask import Blueprint, abort, current_app, request

from fieldapp.access import allow, public
from fieldapp.db import is_uuid
from fieldapp.photos import links, queries
from fieldapp.photos.owners import owners
from fieldapp.photos.store import photo_response, photo_store

bp = Blueprint("photos", __name__)

# Everyone who files or handles records with photos; each photo is then checked against its record.
READERS = ("tutor", "operator", "community", "coordinator")


def photo_or_404(uuid):
    """A photo the user may see: the owner record's own rules decide (a 404 either way, never a hint)."""
    photo = queries.photo(uuid) if is_uuid(uuid) else None
    owner = owners().get(photo["owner"]) if photo else None
    if owner is None:
        abort(404)
    owner.see(photo["owner_id"])
    return photo


def send_photo(photo, thumbnail):
    """The photo's file, streamed, with its sha256 as the ETag: a photo never changes under its uuid."""
    etag = photo["sha256"] + ("t" if thumbnail else "")
    if etag in request.if_none_match:  # the phone has it: no trip to the store
        response = current_app.response_class(status=304)
        response.set_etag(etag)
    else:
        stream = photo_store().open(photo["sha256"], thumbnail=thumbnail)
        if stream is None:
            abort(404)
        response = photo_response(stream, etag=etag)
    response.headers["Cache-Control"] = "private, max-age=86400"  # the phone may keep it, no shared cache
    return response


@bp.get("/photos/<uuid>")
@allow(*READERS)
def photo(uuid):
    return send_photo(photo_or_404(uuid), thumbnail=False)


@bp.get("/photos/<uuid>/thumb")
@allow(*READERS)
def thumbnail(uuid):
    return send_photo(photo_or_404(uuid), thumbnail=True)


@bp.get("/photos/shared/<token>")
@public
def shared(token):
    """The photo a valid signed link names; a forged, altered or expired link gets 404, never a hint."""
    uuid = links.photo_uuid(token)
    photo = queries.photo(uuid) if uuid and is_uuid(uuid) else None
    if photo is None:
        abort(404)
    response = send_photo(photo, thumbnail=False)
    response.headers["X-Robots-Tag"] = "noindex"
    return response
