"""A resident files a report from a phone, with a photo, and no account (real Chromium)."""
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from fieldapp.db import connect
from tests.conftest import PHOTOS

pytestmark = pytest.mark.browser


def test_a_resident_reports_from_a_phone_with_a_photo_and_no_account(page, live_server):
    page.goto(f"{live_server.url}/segnala")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Segnala un problema")
    assert Axe().run(page).violations_count == 0
    # The phone's position picks the nearest building (and never leaves the phone).
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 45.1471, "longitude": 10.0362})
    page.get_by_role("button", name="Usa la mia posizione").click()
    expect(page.locator("#nearest-status")).to_contain_text("Via Sardagna")
    assert page.get_by_label("Stabile").locator("option:checked").inner_text().startswith("Via Sardagna")
    page.locator("label.btn", has_text=re.compile("^Cortile$")).click()
    page.locator("label.btn", has_text=re.compile("^Ingombranti$")).click()
    page.get_by_label("Descrizione").fill("Un divano abbandonato davanti alle cantine.")
    page.get_by_label("Foto (facoltativa)").set_input_files(str(PHOTOS / "mobile" / "jolla.jpg"))
    page.get_by_role("button", name="Invia la segnalazione").click()
    page.wait_for_url(re.compile(r"/segnala/[A-Za-z0-9_-]{32,}$"))
    assert "Segnalazione inviata" in page.locator("main").inner_text()
    assert "Da verificare" in page.get_by_test_id("public-status").inner_text()
    token = page.url.rsplit("/", 1)[1]
    assert token in page.get_by_test_id("follow-link").inner_text()

    db = connect(live_server.app.config["DATABASE"])
    try:
        row = next(db.query("SELECT * FROM reports WHERE public_token = ?", [token]))
        assert (row["source"], row["created_by"], row["area"], row["category"]) == (
            "resident", None, "courtyard", "bulky")
        assert db["photos"].count_where("owner = 'report' AND owner_id = ?", [row["uuid"]]) == 1
    finally:
        db.close()
