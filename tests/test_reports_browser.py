"""In Chromium on a phone viewport: a tutor files a report with a real phone photo, shrunk on the phone."""
import re
from pathlib import Path

import pytest

from fieldapp.db import connect
from tests.conftest import eventually

PHOTOS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "photos"
JOLLA = PHOTOS / "mobile" / "jolla.jpg"  # 3264 x 2448, 0.8 MB, EXIF says "Jolla"

pytestmark = pytest.mark.browser


def test_a_tutor_files_a_report_with_a_phone_photo(signed_in, live_server, monkeypatch):
    db = connect(live_server.app.config["DATABASE"])
    building = next(db.query("SELECT * FROM buildings WHERE presidio_code = 'P-BLO' ORDER BY id DESC LIMIT 1"))
    uploads = []
    inner = live_server.app.wsgi_app

    def measuring(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST":
            uploads.append((environ["PATH_INFO"], int(environ.get("CONTENT_LENGTH") or 0)))
        return inner(environ, start_response)

    monkeypatch.setattr(live_server.app, "wsgi_app", measuring)
    page = signed_in("tutor.loreto")
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": building["lat"] + 0.0001, "longitude": building["lon"], "accuracy": 9})

    # Through the menu, as a person would: on a phone, the bottom bar.
    page.get_by_role("navigation", name="Menu principale").get_by_role("link", name="Segnala", exact=True).click()
    page.wait_for_url(re.compile(r"/reports/new$"))
    status = page.locator("#location-status")
    status.filter(has_text="Scelto lo stabile più vicino").wait_for()
    assert page.locator("#building").input_value() == str(building["id"])

    page.locator("#photos").set_input_files(str(JOLLA))
    page.locator("[data-photo-previews] img").wait_for()
    sent = page.evaluate("""async () => {
        const file = document.getElementById("photos").files[0];
        const bitmap = await createImageBitmap(file);
        const bytes = new Uint8Array(await file.arrayBuffer());
        return {size: file.size, type: file.type, width: bitmap.width, height: bitmap.height,
                jolla: new TextDecoder("latin1").decode(bytes).includes("Jolla"),
                uuids: document.querySelectorAll("input[name=photo_uuid]").length};
    }""")
    assert (sent["width"], sent["height"], sent["type"], sent["uuids"]) == (1600, 1200, "image/jpeg", 1)
    assert sent["size"] < JOLLA.stat().st_size and not sent["jolla"]  # shrunk, and no EXIF left

    page.locator("label", has_text="Cantine").click()
    page.locator("label", has_text="Ingombranti").click()
    page.get_by_label("Descrizione").fill("Un armadio lasciato davanti alle cantine.")
    page.get_by_role("button", name="Invia la segnalazione").click()
    page.wait_for_url(re.compile(r"/reports/[0-9a-f-]{36}$"))

    uuid = page.url.rsplit("/", 1)[1]
    report = eventually(lambda: next(db.query("SELECT * FROM reports WHERE uuid = ?", [uuid]), None))
    assert (report["building_id"], report["area"], report["category"]) == (building["id"], "cellars", "bulky")
    assert report["location_source"] == "device" and report["location_accuracy"] == 9 and report["far"] == 0
    photo = eventually(lambda: next(db.query("SELECT * FROM photos WHERE owner_id = ?", [uuid]), None))
    assert (photo["width"], photo["height"]) == (1600, 1200)
    assert sum(length for path, length in uploads if path != "/login") < JOLLA.stat().st_size
    page.reload()
    page.locator("[data-testid=report-photos] img").wait_for()
    assert "Da verificare" in page.locator("[data-testid=report-status]").inner_text()
    db.close()
