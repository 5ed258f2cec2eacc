"""In Debian's Chromium on a phone screen: sign in, find a household by live search, open it; axe."""
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def serious_violations(page):
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    return serious, results.generate_report()


def test_tutor_finds_a_household_by_live_search_and_opens_it(signed_in, live_server):
    page = signed_in("tutor.loreto")
    expect(page.get_by_role("heading", name="I miei nuclei")).to_be_visible()
    searches_before = live_server.count("GET", "/households/")
    page.get_by_label("Cerca per codice del nucleo o indirizzo").fill("DEMO-BLO-181")
    # Live search: the rows change without a page load (htmx), and the URL follows.
    expect(page.get_by_test_id("household-list").get_by_role("link")).to_have_count(1)
    assert live_server.count("GET", "/households/") > searches_before
    expect(page).to_have_url(re.compile(r"q=DEMO-BLO-181"))
    page.get_by_role("link", name=re.compile("DEMO-BLO-181")).click()
    expect(page.get_by_role("heading", name="Nucleo DEMO-BLO-181")).to_be_visible()
    expect(page.get_by_test_id("user-badge")).to_contain_text("Presidio Borgo Loreto")


def test_nothing_is_loaded_from_another_host(signed_in, base_url):
    page = signed_in("tutor.loreto")
    hosts = set()
    page.on("request", lambda request: hosts.add(re.sub(r"^(\w+://[^/]+).*", r"\1", request.url)))
    page.goto(f"{base_url}/households/")
    page.wait_for_load_state("networkidle")
    assert hosts == {base_url}


def test_titillium_font_is_served_by_us(signed_in, base_url):
    page = signed_in("tutor.loreto")
    page.goto(f"{base_url}/households/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.fonts.check('16px \"Titillium Web\"')")


@pytest.mark.parametrize("path", ["/login", "/households/", "HOUSEHOLD"])
def test_pages_have_no_serious_accessibility_violations(page, signed_in, base_url, path):
    if path != "/login":
        signed_in("tutor.loreto")
    if path == "HOUSEHOLD":
        page.goto(f"{base_url}/households/?q=DEMO-BLO-181")
        page.get_by_role("link", name=re.compile("DEMO-BLO-181")).click()
        page.wait_for_url(re.compile(r"/households/\d+$"))
    else:
        page.goto(f"{base_url}{path}")
    page.wait_for_load_state("networkidle")
    serious, report = serious_violations(page)
    assert serious == [], report
