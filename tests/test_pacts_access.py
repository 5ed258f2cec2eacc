"""Access samples of the pact routes (see test_access.py), and the presidio rule for tutors."""
import io
from pathlib import Path

from PIL import Image

from fieldapp.db import now
from fieldapp.photos import LocalPhotoStore, process

PHOTO_UUID = "4c1e9b7a-2d3f-4e5a-8b6c-7d8e9f0a1b2c"


def a_pact(db):
    """The demo pact on Piazza dei Patrioti (Borgo Loreto, presidio P-BLO)."""
    return next(db.query("SELECT id FROM pacts WHERE place_name = 'Piazza dei Patrioti'"))["id"]


def a_photo(db):
    """A stored photo of an activity of that pact; the test app keeps photos beside its database."""
    if db["photos"].count_where("uuid = ?", [PHOTO_UUID]) == 0:
        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), "green").save(buffer, "JPEG")
        processed = process(buffer.getvalue())
        LocalPhotoStore(Path(db.execute("PRAGMA database_list").fetchone()[2]).parent / "photos").save(processed)
        activity = next(db.query("SELECT uuid FROM pact_activities WHERE pact_id = ? LIMIT 1", [a_pact(db)]))["uuid"]
        db["photos"].insert({"uuid": PHOTO_UUID, "sha256": processed.sha256, "owner": "pact_activity",
                             "owner_id": activity, "role": "report", "created_at": now(), "version": 1})
    return PHOTO_UUID


SAMPLES = {
    "pacts.pact_list": ("GET", lambda db: "/pacts/", None),
    "pacts.pact_new": ("GET", lambda db: "/pacts/new", None),
    "pacts.pact_detail": ("GET", lambda db: f"/pacts/{a_pact(db)}", "presidio"),
    "pacts.pact_status": ("POST", lambda db: f"/pacts/{a_pact(db)}/status", None),
    "pacts.commitment_add": ("POST", lambda db: f"/pacts/{a_pact(db)}/commitments", None),
    "pacts.activity_new": ("GET", lambda db: f"/pacts/{a_pact(db)}/activities/new", None),
    "pacts.pact_pdf": ("GET", lambda db: f"/pacts/{a_pact(db)}/pact.pdf", "presidio"),
    "pacts.activity_photo": ("GET", lambda db: f"/pacts/photos/{a_photo(db)}", "presidio"),
    "pacts.pact_map": ("GET", lambda db: "/pacts/map", None),
    "pacts.indicators": ("GET", lambda db: "/pacts/indicators", None),
}


def test_a_tutor_sees_only_the_pacts_of_their_presidio(login, db):
    loreto = login("tutor.loreto").get("/pacts/").get_data(as_text=True)
    centro = login("tutor.centro").get("/pacts/").get_data(as_text=True)
    pagliari = login("tutor.pagliari").get("/pacts/").get_data(as_text=True)
    assert "Piazza dei Patrioti" in loreto and "Largo Pagliari" not in loreto
    assert "Piazza dei Patrioti" not in centro and "Piazza dei Patrioti" not in pagliari
    assert "Cortile Largo Pagliari" in pagliari


def test_a_tutor_cannot_change_a_pact(login, db):
    response = login("tutor.loreto").post(f"/pacts/{a_pact(db)}/status", data={"to_status": "check"})
    assert response.status_code == 403


def test_a_pact_photo_follows_the_pact_rules_on_the_photos_route(login, db):
    """/photos/<uuid> asks the owner record's area: the operator handles reports, not pacts."""
    photo = a_photo(db)
    assert login("operatore").get(f"/photos/{photo}").status_code == 404
    assert login("operatore").get(f"/photos/{photo}/thumb").status_code == 404
    assert login("tutor.centro").get(f"/photos/{photo}/thumb").status_code == 404  # another presidio
    for username in ("community", "coordinatrice", "tutor.loreto"):
        assert login(username).get(f"/photos/{photo}/thumb").status_code == 200, username
