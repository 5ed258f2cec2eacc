"""Who sees which reports and photos: tutors their presidio's buildings and their own reports."""
import gzip
import html
import io
import re
import uuid as uuid_module

import pytest
from PIL import Image

from fieldapp.db import get_db
from fieldapp.photos import attachments


def text(response):
    return html.unescape(response.get_data(as_text=True))


def jpeg(colour="purple"):
    buffer = io.BytesIO()
    Image.new("RGB", (900, 700), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def user_id(db, username):
    return next(db.query("SELECT id FROM users WHERE username = ?", [username]))["id"]


def building(db, presidio):
    return next(db.query("SELECT * FROM buildings WHERE presidio_code = ? ORDER BY id LIMIT 1", [presidio]))


def file_report(client, building_row, **fields):
    uuid = str(uuid_module.uuid4())
    response = client.post("/reports/new", data={"uuid": uuid, "building": building_row["id"], "area": "garage",
                                                  "category": "damage", "severity": "minor", **fields})
    assert response.status_code == 303
    return uuid


def loreto_report(db):
    return next(db.query(
        """SELECT r.uuid FROM reports r JOIN buildings b ON b.id = r.building_id
           WHERE b.presidio_code = 'P-BLO' AND r.created_by <> ? LIMIT 1""", [user_id(db, "tutor.centro")]))["uuid"]


def features(client, query=""):
    response = client.get(f"/reports.geojson{query}")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    return response.get_json()["features"]


def test_a_tutor_cannot_open_a_report_of_another_presidio(login, db):
    assert login("tutor.centro").get(f"/reports/{loreto_report(db)}").status_code == 404
    assert login("tutor.loreto").get(f"/reports/{loreto_report(db)}").status_code == 200


def test_a_tutor_sees_their_own_report_on_another_presidio_building(login, db):
    client = login("tutor.centro")
    uuid = file_report(client, building(db, "P-BLO"))
    assert client.get(f"/reports/{uuid}").status_code == 200
    assert uuid in {f["properties"]["id"] for f in features(client)}


def test_the_map_layer_of_a_tutor_holds_their_presidio_and_their_own_reports(login, db):
    mine = file_report(login("tutor.centro"), building(db, "P-BLO"))
    visible = {row["uuid"] for row in db.query(
        """SELECT r.uuid FROM reports r JOIN buildings b ON b.id = r.building_id
           WHERE b.presidio_code = 'P-CEN' OR r.created_by = ?""", [user_id(db, "tutor.centro")])}
    assert {f["properties"]["id"] for f in features(login("tutor.centro"))} == visible
    assert mine in visible


@pytest.mark.parametrize("username", ["operatore", "coordinatrice", "community"])
def test_operator_coordinator_and_community_see_every_report(login, db, username):
    assert len(features(login(username))) == db["reports"].count


def test_the_layer_is_lean_and_filterable(login, db):
    client = login("operatore")
    everything = features(client)
    assert {key for f in everything for key in f["properties"]} <= {"id", "s", "c", "a", "d", "b", "f", "p"}
    new_waste = features(client, "?status=new&category=waste")
    assert new_waste and all((f["properties"]["s"], f["properties"]["c"]) == ("new", "waste") for f in new_waste)
    two = features(client, "?status=new&status=verified")
    assert {f["properties"]["s"] for f in two} == {"new", "verified"}
    quartiere = features(client, "?quartiere=5&presidio=P-BLO")
    buildings = {b["id"] for b in db.query("SELECT id FROM buildings WHERE quartiere_id = 5")}
    assert quartiere and {f["properties"]["b"] for f in quartiere} <= buildings
    assert features(client, "?from=2000-01-01&to=2000-12-31") == []
    assert len(features(client, "?status=nonsense&from=not-a-date")) == len(everything)


def test_the_layer_is_gzipped_and_revalidated(login):
    client = login("operatore")
    raw = client.get("/reports.geojson")
    zipped = client.get("/reports.geojson", headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == raw.data and len(zipped.data) < len(raw.data) / 3
    again = client.get("/reports.geojson", headers={"If-None-Match": raw.headers["ETag"]})
    assert again.status_code == 304


def test_the_layer_is_fetched_again_when_a_report_changes(login, db):
    client = login("operatore")
    tag = client.get("/reports.geojson").headers["ETag"]
    assert client.get("/reports.geojson", headers={"If-None-Match": tag}).status_code == 304
    report = next(db.query("SELECT uuid, version FROM reports WHERE status = 'new' LIMIT 1"))
    client.post(f"/reports/{report['uuid']}/status", data={"to": "verified", "version": report["version"]})
    changed = client.get("/reports.geojson", headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert next(f for f in changed.get_json()["features"] if f["properties"]["id"] == report["uuid"])[
        "properties"]["s"] == "verified"


def store(app, db, owner_id, username="tutor.loreto", owner="report", role="report"):
    with app.test_request_context():
        return attachments.store_photo(get_db(), owner=owner, owner_id=owner_id, photo_uuid=str(uuid_module.uuid4()),
                                       data=jpeg(), role=role, user_id=user_id(db, username))


def test_photos_are_private_to_who_may_see_the_report(app, login, db):
    photo = store(app, db, loreto_report(db))
    full = login("tutor.loreto").get(f"/photos/{photo['uuid']}")
    thumb = login("tutor.loreto").get(f"/photos/{photo['uuid']}/thumb")
    assert full.status_code == thumb.status_code == 200 and full.mimetype == "image/jpeg"
    assert full.headers["Cache-Control"].startswith("private")
    assert len(thumb.data) < len(full.data)
    assert login("tutor.centro").get(f"/photos/{photo['uuid']}").status_code == 404
    assert login("operatore").get(f"/photos/{photo['uuid']}/thumb").status_code == 200
    assert app.test_client().get(f"/photos/{photo['uuid']}").status_code == 302


def test_intervention_photos_are_for_the_planners(app, login, db):
    photo = store(app, db, "12", username="operatore", owner="intervention", role="before")
    assert login("operatore").get(f"/photos/{photo['uuid']}").status_code == 200
    assert login("tutor.loreto").get(f"/photos/{photo['uuid']}").status_code == 404


def test_store_photo_is_idempotent_by_uuid(app, db):
    owner = loreto_report(db)
    with app.test_request_context():
        first = attachments.store_photo(get_db(), owner="report", owner_id=owner, photo_uuid=str(uuid_module.uuid4()),
                                        data=jpeg(), user_id=user_id(db, "tutor.loreto"))
        again = attachments.store_photo(get_db(), owner="report", owner_id=owner, photo_uuid=first["uuid"],
                                        data=jpeg(), user_id=user_id(db, "tutor.loreto"))
        assert again["uuid"] == first["uuid"] and again["sha256"] == first["sha256"]
        from werkzeug.exceptions import Conflict

        with pytest.raises(Conflict):
            attachments.store_photo(get_db(), owner="report", owner_id=owner, photo_uuid=first["uuid"],
                                    data=jpeg("yellow"), user_id=user_id(db, "tutor.loreto"))
        assert [p["uuid"] for p in attachments.photos_for("report", owner)] == [first["uuid"]]


def test_no_household_code_ever_appears_in_reports(login, db):
    client = login("coordinatrice")
    report = loreto_report(db)
    for url in ("/reports/", f"/reports/{report}", "/reports.geojson", "/map", "/reports/new"):
        assert "DEMO-" not in client.get(url).get_data(as_text=True), url


def test_the_building_page_offers_to_report_and_lists_open_reports(login, db):
    b = building(db, "P-BLO")
    uuid = file_report(login("tutor.loreto"), b)
    page = text(login("operatore").get(f"/buildings/{b['id']}"))
    assert f'href="/reports/new?building={b["id"]}"' in page and "Segnala un problema qui" in page
    assert f"/reports/{uuid}" in page


def test_the_report_list_filters_and_pages(login, db):
    client = login("operatore")
    page = text(client.get("/reports/?status=rejected"))
    listing = page.split('data-testid="report-list"')[1]  # the counts per status above it name every status
    assert "Respinta" in listing and "Da verificare</span>" not in listing
    fragment = text(client.get("/reports/?status=new", headers={"HX-Request": "true"}))
    assert "<html" not in fragment and 'data-testid="report-list"' in fragment
    restored = text(client.get("/reports/?status=new", headers={"HX-Request": "true",
                                                                "HX-History-Restore-Request": "true"}))
    assert "<html" in restored


def test_my_reports_lists_only_mine(login, db):
    client = login("tutor.loreto2")
    uuid = file_report(client, building(db, "P-BLO"))
    page = text(client.get("/reports/mine"))
    mine = {r["uuid"] for r in db.query("SELECT uuid FROM reports WHERE created_by = ?",
                                        [user_id(db, "tutor.loreto2")])}
    assert f"/reports/{uuid}" in page
    listed = set(re.findall(r'href="/reports/([0-9a-f-]{36})"', page))
    assert uuid in listed and listed <= mine
