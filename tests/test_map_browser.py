"""In Chromium: the map draws the demo reports in clusters, from our origin only, and filters without reloading."""
import re
from urllib.parse import urlsplit

import pytest

from fieldapp.db import connect

pytestmark = pytest.mark.browser


def count(live_server, where="1 = 1"):
    db = connect(live_server.app.config["DATABASE"])
    try:
        return db.execute(f"SELECT COUNT(*) FROM reports WHERE {where}").fetchone()[0]
    finally:
        db.close()


def test_the_map_shows_the_reports_with_nothing_from_other_hosts(signed_in, live_server, monkeypatch):
    tiles = f"{live_server.url}/static/tiles/{{z}}/{{x}}/{{y}}.png"  # a local tile server: 404s are fine
    monkeypatch.setitem(live_server.app.config, "TILE_URL", tiles)
    page = signed_in("operatore")
    seen = []
    page.context.on("request", lambda request: seen.append(request.url))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error"
            and "404" not in message.text else None)

    page.get_by_role("link", name="Mappa").first.click()
    page.wait_for_url(re.compile(r"/map$"))
    page.locator(".marker-cluster").first.wait_for()
    island = page.locator("#map-island")
    assert island.get_attribute("data-loaded") == str(count(live_server))
    assert page.locator(".leaflet-tile").count() > 0

    # Filters go through htmx: the layer is fetched again, the page is not reloaded.
    page.evaluate("window.stillTheSamePage = true")
    new = count(live_server, "status = 'new'")
    page.locator("#map-filter-box summary").click()  # on a phone the filters start folded
    page.locator("label[for=status-new]").click()
    page.locator(f"#map-island[data-loaded='{new}']").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    assert "status=new" in page.url and f"{new} segnalazion" in page.locator("#map-summary").inner_text()

    # A popup, built from the GeoJSON properties, links to the report.
    for _ in range(8):
        pin = page.locator(".leaflet-marker-icon.report-pin")
        if pin.count():
            pin.first.click()
            break
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(500)
    link = page.locator(".leaflet-popup-content a", has_text="Apri la segnalazione")
    link.wait_for()
    assert re.fullmatch(r"/reports/[0-9a-f-]{36}", link.get_attribute("href"))

    hosts = {urlsplit(url).netloc for url in seen if url.startswith("http")}
    assert hosts == {urlsplit(live_server.url).netloc}, hosts
    assert any(url.startswith(f"{live_server.url}/static/tiles/") for url in seen)
    assert errors == []
