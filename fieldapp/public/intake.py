"""A report from the public (the /segnala page or an Open311 partner app): checked, then stored whole."""
import secrets

from flask import current_app

from fieldapp import geo
from fieldapp.audit import record_event
from fieldapp.db import new_uuid, now
from fieldapp.photos import attachments
from fieldapp.public import queries
from fieldapp.records.idempotency import content_hash
from fieldapp.registry import api as registry

# The Comune di Cremona's territory, generously boxed: a point outside is not ours to handle.
CREMONA = (45.07, 45.20, 9.92, 10.13)  # min lat, max lat, min lon, max lon


def in_cremona(position):
    lat, lon = position
    return CREMONA[0] <= lat <= CREMONA[1] and CREMONA[2] <= lon <= CREMONA[3]


def nearest_building(position):
    """(building, metres) of the public-housing building nearest to a point."""
    buildings = registry.all_buildings()
    if not buildings:
        return None, None
    best = min(buildings, key=lambda b: geo.distance_m(*position, b["lat"], b["lon"]))
    return best, geo.distance_m(*position, best["lat"], best["lon"])


def new_token():
    """The reporter's follow-up token: unguessable, and unrelated to the report's uuid."""
    return secrets.token_urlsafe(24)


def store(*, building, area, category, description, source, email=None, phone=None, updates=False,
          position=None, photo=None, api_key_id=None):
    """Store a new public report (status `new`, to be moderated) and its photo in one transaction.

    `email` and `phone` are checked already; `updates`: the reporter gets an e-mail at each change of
    status. `photo` is a processed photo (fieldapp.photos) or None; returns the stored row.
    """
    photo_positions = [photo.gps] if photo is not None and photo.gps else []
    uuid = new_uuid()
    fields = {"building_id": building["id"], "area": area, "category": category, "description": description,
              "source": source}
    row = {
        "uuid": uuid, "building_id": building["id"], "area": area, "category": category, "severity": "moderate",
        "description": description, "status": "new",
        **geo.locate(building, position, None, photo_positions, current_app.config["REPORT_FAR_METRES"]),
        "expected_photos": 1 if photo is not None else 0, "created_at": now(), "created_by": None,
        "version": 1, "content_hash": content_hash(fields), "source": source, "public_token": new_token(),
        "reporter_email": email or None, "reporter_phone": phone or None,
        "reporter_updates": int(bool(updates and email)), "api_key_id": api_key_id,
    }
    with attachments.photo_batch() as batch:
        queries.insert_report(row, db=batch.db)
        if photo is not None:
            batch.add(photo, owner="report", owner_id=uuid, photo_uuid=new_uuid(), user_id=None)
        if api_key_id is not None:
            queries.touch_api_key(api_key_id, row["created_at"], db=batch.db)
        record_event("report", uuid, None, "new", user_id=None, db=batch.db)
    return row
