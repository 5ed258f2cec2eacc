"""The map page: folium from our own origin, a CSP that lists its inline scripts, filters through htmx."""
import base64
import hashlib
import re

import pytest

from fieldapp.assets import unhashed


def inline_scripts(page):
    return re.findall(r"<script>(.*?)</script>", page, re.S)


def sha256(code):
    return base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()


@pytest.fixture
def operator(login):
    return login("operatore")


def test_the_map_page_allows_exactly_its_own_inline_scripts(operator):
    response = operator.get("/map")
    page, csp = response.get_data(as_text=True), response.headers["Content-Security-Policy"]
    script_src = next(part for part in csp.split("; ") if part.startswith("script-src"))
    scripts = inline_scripts(page)
    assert scripts and "CortileMap.attach(" in scripts[-1]
    assert sorted(re.findall(r"'sha256-([^']+)'", script_src)) == sorted(sha256(s) for s in scripts)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "<style>" not in page and "style=" not in page.split("<main", 1)[1]


def test_leaflet_and_its_plugins_come_from_our_origin(operator):
    page = operator.get("/map").get_data(as_text=True)
    sources = re.findall(r'<script src="([^"]+)"', page) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert all(url.startswith("/static/") for url in sources), sources
    for asset in ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css",
                  "vendor/leaflet.markercluster/leaflet.markercluster.js", "js/map.js"):
        assert f"/static/{asset}" in {unhashed(url) for url in sources}
    assert "jquery" not in page.lower() and "cdn" not in page.lower()


def test_the_map_script_is_the_same_on_every_request(operator):
    first, second = (inline_scripts(operator.get("/map").get_data(as_text=True)) for _ in range(2))
    assert first == second


def test_tiles_come_from_the_configured_server(app, operator):
    app.config["TILE_URL"] = "https://tiles.comune.example/{z}/{x}/{y}.png"
    response = operator.get("/map")
    assert "https://tiles.comune.example/{z}/{x}/{y}.png" in response.get_data(as_text=True)
    assert "img-src 'self' data: blob: https://tiles.comune.example" in response.headers["Content-Security-Policy"]
    app.config["TILE_URL"] = ""
    page = operator.get("/map").get_data(as_text=True)
    assert "L.tileLayer" not in page and '"maxZoom": 19' in page


def test_a_boosted_link_loads_the_map_as_a_whole_page(operator):
    response = operator.get("/map?status=new", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert response.headers["HX-Redirect"] == "/map?status=new"


def test_changing_the_filters_sends_counts_and_tells_the_map_to_reload(operator, db):
    response = operator.get("/map?status=new&status=verified", headers={"HX-Request": "true"})
    assert response.headers["HX-Trigger"] == "reports-filtered"
    fragment = response.get_data(as_text=True)
    total = db.execute("SELECT COUNT(*) FROM reports WHERE status IN ('new', 'verified')").fetchone()[0]
    assert "<html" not in fragment and f"{total} segnalazioni" in fragment


def test_a_history_restore_gets_the_whole_page(operator):
    response = operator.get("/map?status=new", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.get_data(as_text=True) and "HX-Trigger" not in response.headers


def test_the_filter_form_shows_the_chosen_filters(operator):
    page = operator.get("/map?status=resolved&category=pests&from=2026-01-01").get_data(as_text=True)
    assert re.search(r'value="resolved" id="status-resolved" checked', page)
    assert '<option value="pests" selected>' in page and 'value="2026-01-01"' in page


def test_a_tutor_map_counts_only_what_the_tutor_may_see(login, db):
    page = login("tutor.sanfelice").get("/map").get_data(as_text=True)
    visible = db.execute(
        """SELECT COUNT(*) FROM reports r JOIN buildings b ON b.id = r.building_id
           WHERE b.presidio_code = 'P-SFE'
              OR r.created_by = (SELECT id FROM users WHERE username = 'tutor.sanfelice')"""
    ).fetchone()[0]
    assert f"{visible} segnalazioni" in page or f"{visible} segnalazione" in page


@pytest.mark.parametrize(("username", "path"), [
    ("coordinatrice", "/governance/?period=2026-10"),
    ("operatore", "/map?status=new"),
    ("operatore", "/interventions/map"),
    ("equipe", "/energy/map?season=2025-26"),
    ("community", "/pacts/map"),
])
def test_every_page_with_a_map_is_loaded_whole_after_a_boosted_link(login, username, path):
    """htmx would swap the map's page into the old one, whose CSP does not allow its inline scripts."""
    response = login(username).get(path, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert (response.status_code, response.headers.get("HX-Redirect"), response.get_data()) == (200, path, b"")
    assert b"leaflet" in login(username).get(path).get_data().lower()
