"""The dashboard in Chromium: the coordinator lands on it, its map draws under its own CSP, it prints clean."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_coordinator_lands_on_the_dashboard_with_its_map(signed_in, live_server):
    page = signed_in("coordinatrice")
    page.wait_for_url("**/governance/")
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    # A full load (the map's scripts need their CSP); not waiting for map tiles, which are offline here.
    page.goto(f"{live_server.url}/governance/?period=2026-11", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Cruscotto del programma")).to_be_visible()
    expect(page.get_by_role("link", name="Cruscotto")).to_have_attribute("aria-current", "page")
    expect(page.locator(".governance-map path.leaflet-interactive").first).to_be_attached()
    assert page.locator(".governance-map path.leaflet-interactive").count() > 10  # one circle per building
    assert problems == []
    page.emulate_media(media="print")
    expect(page.locator(".app-nav")).to_be_hidden()
    expect(page.locator(".governance-picker")).to_be_hidden()
    expect(page.get_by_test_id("tiles")).to_be_visible()
