"""Lists on a phone (360x740): the filters fold behind one "Filtri" button that counts those on, and the first
record is on the first screen. A details element: it works without script; wide screens open it."""
from datetime import datetime

import pytest
from playwright.sync_api import expect

from tests.conftest import ROME, sign_in_page
from tests.test_access import WHO

pytestmark = pytest.mark.browser

# (role, list page, what a record is on it, filters on at that address)
LISTS = [
    ("operator", "/reports/?status=new", "a.report-record", 1),
    ("tutor", "/reports/mine", ".record", 0),
    ("coordinator", "/households/?presidio=P-BLO", ".record", 1),
    ("tutor", "/buildings/", ".record", 0),
    ("equipe", "/arrears/?band=over_2000&stage=", "table[data-testid=caseload] tbody tr", 1),
    ("operator", "/interventions/", ".record", 0),
    ("community", "/meetings/", ".record", 0),
    ("admin", "/admin/audit", "table tbody tr", 0),
]


@pytest.fixture(scope="module")
def phone(browser, live_server):
    """One phone context per role, signed in once."""
    contexts, pages = [], {}

    def page_of(role):
        if role not in pages:
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale="it-IT",
                                          service_workers="block")
            context.clock.install(time=datetime.now(ROME))
            contexts.append(context)
            pages[role] = sign_in_page(context.new_page(), live_server.url, WHO[role])
        return pages[role]

    yield page_of
    for context in contexts:
        context.close()


@pytest.mark.parametrize("role, path, record, active", LISTS, ids=[p for _r, p, _c, _a in LISTS])
def test_a_list_starts_on_the_first_phone_screen_with_its_filters_folded(phone, live_server, role, path, record,
                                                                          active):
    page = phone(role)
    page.goto(f"{live_server.url}{path}")
    toggle = page.locator("main details[data-filter-box] > summary")
    expect(toggle).to_have_count(1)
    expect(toggle).to_contain_text("Filtri")
    expect(page.locator("main details[data-filter-box]")).not_to_have_attribute("open", "")
    count = toggle.locator("[data-filter-count]")
    if active:
        expect(count).to_have_text(f"{active} attiv{'o' if active == 1 else 'i'}")
    else:
        expect(count).to_be_hidden()
    first = page.locator(f"main {record}").first
    box = first.bounding_box()
    assert box is not None and box["y"] + 24 <= 740, f"the first record starts at y={box and box['y']}"
    # Opened, the filters are there; changing one recounts them.
    toggle.click()
    field = page.locator("main details[data-filter-box] select").first
    expect(field).to_be_visible()


def test_wide_screens_show_the_filters_open(phone, live_server):
    page = phone("operator")
    page.set_viewport_size({"width": 1366, "height": 900})
    try:
        page.goto(f"{live_server.url}/reports/")
        expect(page.locator("main details[data-filter-box]")).to_have_attribute("open", "")
        page.locator("#filter-category").select_option("waste")
        expect(page.locator("[data-filter-count]")).to_have_text("1 attivo")
    finally:
        page.set_viewport_size({"width": 360, "height": 740})
