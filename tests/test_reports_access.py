"""Access samples of the reports routes (see test_access.py).

"presidio" samples are reports on a P-BLO building filed by a P-BLO tutor: tutor.centro must get 404.
"""
import io
from pathlib import Path

from PIL import Image

from fieldapp.db import now
from fieldapp.photos import LocalPhotoStore, process

PHOTO_UUID = "0d6f4a52-5b0e-4c1d-9a57-3c6b1f2e8a10"


def report(db):
    return next(db.query(
        """SELECT r.uuid FROM reports r JOIN buildings b ON b.id = r.building_id JOIN users u ON u.id = r.created_by
           WHERE b.presidio_code = 'P-BLO' AND u.presidio_code = 'P-BLO' AND r.status = 'new'
           ORDER BY r.created_at LIMIT 1"""))["uuid"]


def photo(db):
    """A stored photo of that report; the test app keeps its photos beside its database (conftest.make_app)."""
    if db["photos"].count_where("uuid = ?", [PHOTO_UUID]) == 0:
        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), "orange").save(buffer, "JPEG")
        processed = process(buffer.getvalue())
        database = Path(db.execute("PRAGMA database_list").fetchone()[2])
        LocalPhotoStore(database.parent / "photos").save(processed)
        db["photos"].insert({"uuid": PHOTO_UUID, "sha256": processed.sha256, "owner": "report",
                             "owner_id": report(db), "role": "report", "created_at": now(), "version": 1})
    return PHOTO_UUID


SAMPLES = {
    "reports.report_new": ("GET", lambda db: "/reports/new", None),
    "reports.report_list": ("GET", lambda db: "/reports/", None),
    "reports.my_reports": ("GET", lambda db: "/reports/mine", None),
    "reports.report_detail": ("GET", lambda db: f"/reports/{report(db)}", "presidio"),
    "reports.add_photos": ("POST", lambda db: f"/reports/{report(db)}/photos", "presidio"),
    "reports.change_status": ("POST", lambda db: f"/reports/{report(db)}/status", "presidio"),
    "reports.reclassify": ("POST", lambda db: f"/reports/{report(db)}/classification", "presidio"),
    "reports.verify_many": ("POST", lambda db: "/reports/verify", None),
    "reports.geojson": ("GET", lambda db: "/reports.geojson", None),
    "photos.photo": ("GET", lambda db: f"/photos/{photo(db)}", "presidio"),
    "photos.thumbnail": ("GET", lambda db: f"/photos/{photo(db)}/thumb", "presidio"),
}
