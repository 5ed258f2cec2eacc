"""Filing a report from the phone: the form, the photo pipeline through it, location, duplicate hint."""
import html
import io
import re
import struct
import uuid as uuid_module
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.test import EnvironBuilder

from fieldapp import geo
from fieldapp.photos import LocalPhotoStore, attachments

PHOTOS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "photos"
ALL_PHOTOS = sorted(p for p in PHOTOS.glob("*/*") if p.suffix.lower() in (".jpg", ".jpeg", ".heic", ".png", ".webp"))


def new_uuid():
    return str(uuid_module.uuid4())


def loreto_building(db):
    return next(db.query("SELECT * FROM buildings WHERE presidio_code = 'P-BLO' ORDER BY id DESC LIMIT 1"))


def report_form(building, **fields):
    return {"building": str(building["id"]), "area": "stairs", "category": "bulky", "severity": "moderate",
            "description": "Un divano sul pianerottolo.", **fields}


def upload(*paths_or_bytes):
    files = []
    for item in paths_or_bytes:
        if isinstance(item, Path):
            files.append((io.BytesIO(item.read_bytes()), item.name))
        else:
            files.append((io.BytesIO(item[1]), item[0]))
    return files


def post(client, url, data=None, **kwargs):
    """POST, then close the request body: werkzeug's test client spools a multipart body over 500 KB
    to a temporary file, and its response.close() only closes the LimitedStream around it."""
    environ = EnvironBuilder(path=url, method="POST", data=data, **kwargs).get_environ()
    try:
        response = client.open(environ)
        response.get_data()
        return response
    finally:
        environ["wsgi.input"].close()


def jpeg(size=(800, 600), colour="teal"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def text(response):
    return html.unescape(response.get_data(as_text=True))


def stored_files(app):
    return sorted(p for p in Path(app.config["PHOTOS_DIR"]).rglob("*") if p.is_file())


def report_row(db, uuid):
    return next(db.query("SELECT * FROM reports WHERE uuid = ?", [uuid]), None)


def photo_rows(db, uuid):
    return list(db.query("SELECT * FROM photos WHERE owner = 'report' AND owner_id = ? ORDER BY rowid", [uuid]))


# --- the form ------------------------------------------------------------------------------

def test_form_preselects_the_building_the_user_came_from(login, db):
    building = loreto_building(db)
    page = text(login("tutor.loreto").get(f"/reports/new?building={building['id']}"))
    assert re.search(rf'<option [^>]*selected value="{building["id"]}">', page)
    assert 'accept="image/*" capture="environment" multiple' in page
    assert 'name="uuid"' in page and "Androne" in page and "Infestazione (ratti, blatte, piccioni)" in page


def test_building_options_carry_their_position_for_the_nearest_building(login, db):
    building = loreto_building(db)
    page = text(login("tutor.loreto").get("/reports/new"))
    assert f'data-lat="{building["lat"]}"' in page and f'data-lon="{building["lon"]}"' in page


def test_tutor_files_a_report_and_follows_it_in_my_reports(app, login, db):
    client = login("tutor.loreto")
    uuid = new_uuid()
    response = post(client, "/reports/new", data={**report_form(loreto_building(db)), "uuid": uuid,
                                                  "photos": upload(("divano.jpg", jpeg()))})
    assert response.status_code == 303 and response.headers["Location"] == f"/reports/{uuid}"
    row = report_row(db, uuid)
    assert row["status"] == "new" and row["expected_photos"] == 1 and len(photo_rows(db, uuid)) == 1
    events = list(db.query("SELECT * FROM events WHERE entity = 'report' AND entity_id = ?", [uuid]))
    assert [(e["from_status"], e["to_status"]) for e in events] == [(None, "new")]
    mine = text(client.get("/reports/mine"))
    assert f"/reports/{uuid}" in mine and "Da verificare" in mine


def test_missing_choices_get_italian_messages_and_nothing_is_stored(login, db):
    before = db["reports"].count
    response = post(login("tutor.loreto"), "/reports/new", data={"building": "", "description": "x"})
    assert response.status_code == 422
    page = text(response)
    assert "Scegli lo stabile." in page and "Scegli la parte comune." in page and 'role="alert"' in page
    assert db["reports"].count == before


def test_replayed_report_is_stored_once(login, db):
    client = login("tutor.loreto")
    form = {**report_form(loreto_building(db)), "uuid": new_uuid(), "lat": "45.1475", "lon": "10.0365"}
    assert post(client, "/reports/new", data=form).status_code == 303
    again = post(client, "/reports/new", data=form)
    assert again.status_code == 303 and again.headers["Location"] == f"/reports/{form['uuid']}"
    assert db["reports"].count_where("uuid = ?", [form["uuid"]]) == 1
    assert db["events"].count_where("entity_id = ?", [form["uuid"]]) == 1


def test_other_content_under_a_stored_uuid_is_a_conflict(login, db):
    client = login("tutor.loreto")
    form = {**report_form(loreto_building(db)), "uuid": new_uuid()}
    post(client, "/reports/new", data=form)
    assert post(client, "/reports/new", data={**form, "description": "altro"}).status_code == 409


def test_a_form_sent_without_choosing_photos_is_fine(login, db):
    # What a browser sends when no photo was chosen: one file part with no name and no content.
    response = post(login("tutor.loreto"), "/reports/new", data={
        **report_form(loreto_building(db)), "photos": [(io.BytesIO(b""), "")]})
    assert response.status_code == 303


def test_more_than_five_photos_are_refused(app, login, db):
    photos = upload(*[(f"p{i}.jpg", jpeg()) for i in range(6)])
    response = post(login("tutor.loreto"), "/reports/new", data={**report_form(loreto_building(db)), "photos": photos})
    assert response.status_code == 422 and "al massimo 5 foto" in text(response)
    assert stored_files(app) == []


def test_announced_photos_show_as_on_their_way_until_they_arrive(app, login, db):
    client = login("tutor.loreto")
    uuid, photo_uuids = new_uuid(), [new_uuid(), new_uuid()]
    post(client, "/reports/new", data={**report_form(loreto_building(db)), "uuid": uuid, "photo_uuid": photo_uuids})
    assert report_row(db, uuid)["expected_photos"] == 2
    assert "2 foto in arrivo dal telefono." in text(client.get(f"/reports/{uuid}"))
    with app.test_request_context():
        user = next(db.query("SELECT id FROM users WHERE username = 'tutor.loreto'"))["id"]
        from fieldapp.db import get_db

        attachments.store_photo(get_db(), owner="report", owner_id=uuid, photo_uuid=photo_uuids[0],
                                data=jpeg(), user_id=user)
    assert "1 foto in arrivo dal telefono." in text(client.get(f"/reports/{uuid}"))


def test_a_replay_brings_the_photos_that_had_not_arrived(login, db):
    client = login("tutor.loreto")
    form = {**report_form(loreto_building(db)), "uuid": new_uuid(), "photo_uuid": [new_uuid()]}
    post(client, "/reports/new", data=form)
    assert photo_rows(db, form["uuid"]) == []
    post(client, "/reports/new", data={**form, "photos": upload(("a.jpg", jpeg()))})
    post(client, "/reports/new", data={**form, "photos": upload(("a.jpg", jpeg()))})
    assert [p["uuid"] for p in photo_rows(db, form["uuid"])] == form["photo_uuid"]


# --- the photo pipeline, through the upload route ------------------------------------------

def assert_clean_jpeg(path):
    data = path.read_bytes()
    with Image.open(path) as image:
        assert image.format == "JPEG" and max(image.size) <= 1600
        assert not image.getexif() and not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(image.info)
    assert b"Exif" not in data and b"http://ns.adobe.com/xap" not in data and b"GPS" not in data


def closest_orientation(image, reference):
    """Which way of turning `image` looks most like `reference` (a small grey thumbnail compared)."""
    def fingerprint(im):
        return im.convert("L").resize((32, 24)).tobytes()

    turns = {"as stored": image, "upside down": image.rotate(180),
             "mirrored": image.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
             "flipped": image.transpose(Image.Transpose.FLIP_TOP_BOTTOM)}
    target = fingerprint(reference)
    return min(turns, key=lambda name: sum(abs(a - b) for a, b in zip(fingerprint(turns[name]), target, strict=True)))


@pytest.mark.parametrize("path", [p for p in ALL_PHOTOS if p.parent.name != "invalid"],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shared_photo_is_stored_upright_and_clean(app, login, db, path):
    uuid = new_uuid()
    response = post(login("tutor.loreto"),
        "/reports/new", data={**report_form(loreto_building(db)), "uuid": uuid, "photos": upload(path)})
    assert response.status_code == 303, text(response)[:2000]
    (photo,) = photo_rows(db, uuid)
    store = LocalPhotoStore(app.config["PHOTOS_DIR"])
    for thumbnail in (False, True):
        assert_clean_jpeg(store.path(photo["sha256"], thumbnail))
    with Image.open(store.path(photo["sha256"])) as stored:
        assert (stored.width, stored.height) == (photo["width"], photo["height"])
        if path.parent.name == "orientation":
            reference = PHOTOS / "orientation" / (path.stem.split("_")[0] + "_1.jpg")
            with Image.open(reference) as upright:
                assert stored.size == upright.size
                assert closest_orientation(stored, upright) == "as stored", f"{path.name} is not upright"


# What the pipeline does with each broken sample: their damage is in the EXIF or in the middle of
# the scan, and the decoder still gives a whole picture, so each one is stored, at this size.
BROKEN_SAMPLES = {
    "corrupted.jpg": (1600, 1200),  # declares 3648x2736: shrunk to the long edge, not refused
    "image00971.jpg": (636, 227),
    "image01551.jpg": (61, 58),
    "image02206.jpg": (65, 65),
}


def test_every_broken_sample_has_a_decided_outcome():
    assert sorted(p.name for p in (PHOTOS / "invalid").iterdir()) == sorted(BROKEN_SAMPLES)


@pytest.mark.parametrize("name, size", BROKEN_SAMPLES.items(), ids=list(BROKEN_SAMPLES))
def test_each_broken_sample_photo_is_stored_as_a_clean_picture(app, login, db, name, size):
    uuid = new_uuid()
    response = post(login("tutor.loreto"), "/reports/new", data={
        **report_form(loreto_building(db)), "uuid": uuid, "photos": upload(PHOTOS / "invalid" / name)})
    assert response.status_code == 303, text(response)[:2000]
    (photo,) = photo_rows(db, uuid)
    assert (photo["width"], photo["height"]) == size
    store = LocalPhotoStore(app.config["PHOTOS_DIR"])
    for thumbnail in (False, True):
        assert_clean_jpeg(store.path(photo["sha256"], thumbnail))
    with Image.open(store.path(photo["sha256"])) as stored:
        assert stored.size == size
        stored.load()  # the stored file decodes whole


def test_the_iphone_heic_photo_becomes_an_upright_jpeg(app, login, db):
    uuid = new_uuid()
    post(login("tutor.loreto"), "/reports/new", data={
        **report_form(loreto_building(db)), "uuid": uuid,
        "photos": upload(PHOTOS / "mobile" / "iphone_13_pro_max.HEIC")})
    (photo,) = photo_rows(db, uuid)
    assert (photo["width"], photo["height"]) == (1200, 1600)  # portrait, as the phone was held


def decompression_bomb():
    """A 20,000 x 20,000 px PNG of a few hundred bytes: only its header is honest."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = zlib.compress(b"\x00" * 20001 * 8)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


@pytest.mark.parametrize("name, data, message", [
    ("bomb.png", decompression_bomb(), "L'immagine ha troppi pixel."),
    ("readme.jpg", b"This is a text file, not a photo.\n" * 20, "Il file non è un'immagine."),
    ("empty.jpg", b"", "Il file è vuoto."),
])
def test_bad_files_are_refused_with_an_italian_message(app, login, db, name, data, message):
    uuid = new_uuid()
    response = post(login("tutor.loreto"), "/reports/new", data={
        **report_form(loreto_building(db)), "uuid": uuid, "photos": upload((name, data))})
    assert response.status_code == 422
    assert message in text(response) and "Non è stato salvato nulla" in text(response)
    assert report_row(db, uuid) is None and stored_files(app) == []


def test_a_file_over_the_byte_limit_is_refused(app, login, db):
    app.config["PHOTO_MAX_BYTES"] = 200_000
    response = post(login("tutor.loreto"), "/reports/new", data={
        **report_form(loreto_building(db)), "photos": upload(PHOTOS / "mobile" / "jolla.jpg")})
    assert response.status_code == 422 and "Il file è troppo grande." in text(response)
    assert stored_files(app) == []


def test_one_bad_photo_stores_nothing_of_the_report(app, login, db):
    before = db["reports"].count, db["photos"].count
    response = post(login("tutor.loreto"), "/reports/new", data={
        **report_form(loreto_building(db)),
        "photos": upload(PHOTOS / "gps" / "DSCN0010.jpg", ("note.jpg", b"not an image at all"))})
    assert response.status_code == 422 and "Foto 2 (note.jpg)" in text(response)
    assert (db["reports"].count, db["photos"].count) == before and stored_files(app) == []


def test_a_database_failure_after_the_files_leaves_no_orphan_file(app, login, db, monkeypatch):
    client = login("tutor.loreto")
    kept = new_uuid()
    post(client, "/reports/new", data={**report_form(loreto_building(db)), "uuid": kept,
                                      "photos": upload(("shared.jpg", jpeg(colour="navy")))})
    files_before, rows_before = stored_files(app), (db["reports"].count, db["photos"].count)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("fieldapp.reports.filing.record_event", broken)
    response = post(client, "/reports/new", data={
        **report_form(loreto_building(db)), "uuid": new_uuid(),
        "photos": upload(("shared.jpg", jpeg(colour="navy")), ("new.jpg", jpeg(colour="red")))})
    assert response.status_code == 500
    assert (db["reports"].count, db["photos"].count) == rows_before
    assert stored_files(app) == files_before  # the new photo's files went, the shared ones stayed


# --- location ----------------------------------------------------------------------------

def file_report(client, db, **fields):
    uuid = new_uuid()
    photos = fields.pop("photos", [])
    response = post(client, "/reports/new", data={**report_form(loreto_building(db)), "uuid": uuid,
                                                  "photos": upload(*photos), **fields})
    assert response.status_code == 303, text(response)[:1500]
    return report_row(db, uuid)


def test_the_phone_position_wins_over_photo_gps_and_building(login, db):
    building = loreto_building(db)
    row = file_report(login("tutor.loreto"), db, lat=str(building["lat"] + 0.0002), lon=str(building["lon"]),
                      accuracy="8.4", photos=[PHOTOS / "gps" / "DSCN0010.jpg"])
    assert row["location_source"] == "device" and row["location_accuracy"] == 8.4
    assert row["lat"] == pytest.approx(building["lat"] + 0.0002) and 20 < row["distance_m"] < 25 and row["far"] == 0


def test_without_the_phone_position_the_photo_gps_is_used_and_flagged_when_far(login, db):
    row = file_report(login("tutor.loreto"), db, photos=[PHOTOS / "gps" / "DSCN0010.jpg"])
    assert row["location_source"] == "photo" and row["location_accuracy"] is None
    assert row["lat"] == pytest.approx(43.4674483) and row["lon"] == pytest.approx(11.8851267)
    assert row["far"] == 1 and row["distance_m"] > 100_000  # Arezzo, not Cremona: kept, but flagged


def test_gps_read_on_the_phone_counts_as_photo_position(login, db):
    building = loreto_building(db)
    row = file_report(login("tutor.loreto"), db, photo_lat=str(building["lat"]),
                      photo_lon=str(building["lon"] + 0.0005), photos=[("shrunk.jpg", jpeg())])
    assert row["location_source"] == "photo" and 35 < row["distance_m"] < 45 and row["far"] == 0


def test_without_any_position_the_building_is_used(login, db):
    building = loreto_building(db)
    row = file_report(login("tutor.loreto"), db, lat="", lon="", accuracy="")
    assert (row["location_source"], row["lat"], row["lon"]) == ("building", building["lat"], building["lon"])
    assert row["distance_m"] == 0 and row["far"] == 0


def test_a_nonsense_phone_position_is_ignored(login, db):
    row = file_report(login("tutor.loreto"), db, lat="NaN", lon="10.03", accuracy="5")
    assert row["location_source"] == "building"


@pytest.mark.parametrize("metres, far", [(100, 0), (200, 1)])
def test_a_position_beyond_the_configured_distance_is_flagged(app, login, db, metres, far):
    building = loreto_building(db)
    lat = building["lat"] + metres / 111_195
    row = file_report(login("tutor.loreto"), db, lat=str(lat), lon=str(building["lon"]), accuracy="10")
    assert row["far"] == far and row["location_source"] == "device"
    assert geo.distance_m(lat, building["lon"], building["lat"], building["lon"]) == pytest.approx(metres, rel=0.01)


def test_a_far_report_is_flagged_on_its_page(login, db):
    client = login("tutor.loreto")
    row = file_report(client, db, photos=[PHOTOS / "gps" / "DSCN0021.jpg"])
    assert 'data-testid="far-flag"' in text(client.get(f"/reports/{row['uuid']}"))


# --- the duplicate hint --------------------------------------------------------------------

def hint(client, building, area, category, **position):
    query = "&".join(f"{k}={v}" for k, v in {"building": building["id"], "area": area, "category": category,
                                             **position}.items())
    return text(client.get(f"/reports/new?{query}", headers={"HX-Request": "true"}))


def test_an_open_report_of_the_same_place_and_kind_is_offered(login, db):
    client = login("tutor.loreto")
    existing = file_report(client, db, area="cellars", category="waste")
    fragment = hint(client, loreto_building(db), "cellars", "waste")
    assert 'data-testid="duplicate-hint"' in fragment and "<html" not in fragment
    assert f'formaction="/reports/{existing["uuid"]}/photos"' in fragment


@pytest.mark.parametrize("change", ["other area", "closed", "older than 30 days"])
def test_no_hint_for_another_area_a_closed_report_or_an_old_one(login, db, change):
    client = login("tutor.loreto")
    building = loreto_building(db)
    db.execute("UPDATE reports SET status = 'resolved' WHERE building_id = ? AND status IN ('new', 'verified')",
               [building["id"]])
    existing = file_report(client, db, area="cellars", category="waste")
    if change == "closed":
        db.execute("UPDATE reports SET status = 'rejected' WHERE uuid = ?", [existing["uuid"]])
    if change == "older than 30 days":
        old = (datetime.now(UTC) - timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%SZ")
        db.execute("UPDATE reports SET created_at = ? WHERE uuid = ?", [old, existing["uuid"]])
    db.conn.commit()
    area = "garage" if change == "other area" else "cellars"
    assert existing["uuid"] not in hint(client, building, area, "waste")


def test_a_same_category_report_within_50_metres_is_offered(login, db):
    client = login("tutor.loreto")
    building = loreto_building(db)
    existing = file_report(client, db, area="courtyard", category="pests", lat=str(building["lat"]),
                           lon=str(building["lon"]), accuracy="5")
    near = hint(client, building, "green", "pests", lat=building["lat"] + 0.0003, lon=building["lon"])  # ~33 m
    far = hint(client, building, "green", "pests", lat=building["lat"] + 0.0006, lon=building["lon"])   # ~67 m
    assert existing["uuid"] in near and existing["uuid"] not in far


def test_photos_can_be_added_to_the_offered_report(login, db):
    client = login("tutor.loreto2")
    existing = file_report(login("tutor.loreto"), db, area="cellars", category="waste")
    photo_uuid = new_uuid()
    form = {**report_form(loreto_building(db), area="cellars", category="waste"), "photo_uuid": [photo_uuid],
            "description": "Ancora lì."}
    response = post(client, f"/reports/{existing['uuid']}/photos", data={**form, "photos": upload(("b.jpg", jpeg()))})
    assert response.status_code == 303 and response.headers["Location"] == f"/reports/{existing['uuid']}"
    again = post(client, f"/reports/{existing['uuid']}/photos", data={**form, "photos": upload(("b.jpg", jpeg()))})
    assert again.status_code == 303
    assert [p["uuid"] for p in photo_rows(db, existing["uuid"])] == [photo_uuid]
    assert report_row(db, existing["uuid"])["expected_photos"] == 1
    notes = [e["note"] for e in db.query("SELECT note FROM events WHERE entity_id = ?", [existing["uuid"]])]
    assert "1 foto aggiunta: Ancora lì." in notes


def test_photos_cannot_be_added_to_a_closed_report(login, db):
    client = login("tutor.loreto")
    existing = file_report(client, db)
    db.execute("UPDATE reports SET status = 'resolved' WHERE uuid = ?", [existing["uuid"]])
    db.conn.commit()
    response = post(client, f"/reports/{existing['uuid']}/photos", data={"photos": upload(("b.jpg", jpeg()))})
    assert response.status_code == 409 and photo_rows(db, existing["uuid"]) == []
