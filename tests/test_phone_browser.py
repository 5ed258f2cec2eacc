"""In Chromium on a phone (390x844): the bottom bar, the operator's triage, and a map the page scrolls past."""
import re
from datetime import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from fieldapp.db import connect
from fieldapp.reports.queries import SEVERITY_ORDER
from tests.conftest import ROME, eventually

pytestmark = pytest.mark.browser


def in_view(page, locator):
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0 \
        and box["x"] + box["width"] <= size["width"]


def test_a_tutor_has_four_tasks_and_more_at_thumb_reach(signed_in, base_url):
    page = signed_in("tutor.loreto")
    page.goto(f"{base_url}/agenda")
    menu = page.get_by_role("navigation", name="Menu principale")
    expect(menu).to_have_count(1)  # the top row is hidden on a phone: one menu, at the bottom
    links = menu.locator(":scope > ul > li > a")
    expect(links).to_have_text(["I miei nuclei", "Agenda", "Segnala", "Le mie segnalazioni"])
    active = menu.get_by_role("link", name="Agenda")
    expect(active).to_have_attribute("aria-current", "page")
    badge = page.get_by_test_id("outbox-badge")
    page.evaluate("document.getElementById('outbox-badge').hidden = false")  # as outbox.js does with items waiting
    page.mouse.wheel(0, 3000)  # still there after scrolling down the page
    eventually(lambda: page.evaluate("window.scrollY") > 0)
    assert in_view(page, active) and in_view(page, menu.get_by_text("Altro")) and in_view(page, badge)

    menu.get_by_text("Altro").tap()
    expect(menu.get_by_role("link", name="Stabili")).to_be_visible()
    page.keyboard.press("Escape")  # closes as a menu does
    expect(menu.get_by_role("link", name="Stabili")).to_be_hidden()
    menu.get_by_text("Altro").tap()
    menu.get_by_role("link", name="Stabili").tap()
    expect(page).to_have_url(re.compile(r"/buildings/$"))
    more = page.get_by_role("navigation", name="Menu principale").locator("summary")
    expect(more).to_have_text("AltroStabili")  # the page in use stays named in view
    assert in_view(page, more)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()


def new_in_triage_order(live_server):
    db = connect(live_server.app.config["DATABASE"])
    try:
        rows = list(db.query("SELECT uuid, severity, created_at FROM reports WHERE status = 'new'"))
    finally:
        db.close()
    return [r["uuid"]
            for r in sorted(rows, key=lambda r: (SEVERITY_ORDER.index(r["severity"]), r["created_at"], r["uuid"]))]


def statuses(live_server, uuids):
    db = connect(live_server.app.config["DATABASE"])
    try:
        return [db.execute("SELECT status FROM reports WHERE uuid = ?", [u]).fetchone()[0] for u in uuids]
    finally:
        db.close()


def test_the_operator_triages_urgent_first_verifies_several_and_moves_on(signed_in, live_server, base_url):
    db = connect(live_server.app.config["DATABASE"])
    oldest = next(db.query("SELECT uuid FROM reports WHERE status = 'new' ORDER BY created_at LIMIT 1"))["uuid"]
    db.execute("UPDATE reports SET severity = 'urgent' WHERE uuid = ?", [oldest])  # make sure one is urgent
    db.conn.commit()
    db.close()
    page = signed_in("operatore")
    page.get_by_role("navigation", name="Menu principale").get_by_role("link", name="Segnalazioni").tap()
    order = new_in_triage_order(live_server)
    rows = page.get_by_test_id("report-list").locator("a.report-record")
    expect(rows.first).to_have_attribute("href", f"/reports/{order[0]}")
    assert [rows.nth(i).get_attribute("href") for i in range(3)] == [f"/reports/{u}" for u in order[:3]]
    expect(rows.first).to_contain_text("Urgente")
    results = Axe().run(page)  # boxes to tick, counts and the sticky button included
    assert [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")] == [], \
        results.generate_report()

    # Two at once: both verified, the list comes back with the next ones.
    page.locator(f"#pick-{order[0]}").check()
    page.locator(f"#pick-{order[1]}").check()
    page.get_by_role("button", name="Verifica le segnalazioni scelte").tap()
    expect(page.get_by_role("status").filter(has_text="2 segnalazioni verificate.")).to_be_visible()
    assert statuses(live_server, order[:2]) == ["verified", "verified"]
    expect(rows.first).to_have_attribute("href", f"/reports/{order[2]}")

    # One decision on the report page: the next one in triage order opens.
    rows.first.tap()
    page.get_by_role("button", name="Verifica: il problema c'è").tap()
    expect(page).to_have_url(f"{base_url}/reports/{order[3]}")
    expect(page.get_by_role("status").filter(has_text="Ecco la prossima segnalazione")).to_be_visible()


def test_the_map_lets_the_page_scroll_and_measures_in_metres(signed_in, base_url):
    page = signed_in("operatore")
    page.goto(f"{base_url}/map")
    page.locator(".leaflet-control-scale-line").wait_for()
    filters, island = page.locator("#map-filter-box"), page.locator("#map-island")
    assert filters.bounding_box()["y"] < island.bounding_box()["y"]  # filters above the map, folded
    expect(page.locator("#map-filters")).to_be_hidden()
    scale = page.locator(".leaflet-control-scale-line")
    expect(scale).to_have_count(1)
    assert re.fullmatch(r"\d+ k?m", scale.inner_text().strip())

    def zoom():
        return page.evaluate("CortileMap.current().getZoom()")

    before = zoom()
    box = island.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 40)
    page.mouse.wheel(0, 300)
    eventually(lambda: page.evaluate("window.scrollY") > 0)
    assert zoom() == before  # the wheel scrolled the page, not the map
    box = island.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Control")
    eventually(lambda: zoom() > before)


LAYOUT_SHIFTS = """() => new Promise((done) => {
  let total = 0;
  new PerformanceObserver((list) => { for (const shift of list.getEntries()) total += shift.value; })
    .observe({ type: "layout-shift", buffered: true });
  setTimeout(() => done(total), 1500);
})"""


@pytest.mark.parametrize("path", ["/households/", "/agenda", "/reports/new"])
def test_a_first_visit_does_not_jump_when_the_font_arrives(browser, browser_context_args, signed_in, base_url, path):
    """The font is optional (fonts.css): the text a tutor is about to tap never moves under the finger."""
    page = signed_in("tutor.loreto")
    # A new context: an empty cache, so the fonts come from the network as on a first visit.
    fresh = browser.new_context(**browser_context_args, storage_state=page.context.storage_state())
    try:
        fresh.clock.install(time=datetime.now(ROME))
        visit = fresh.new_page()
        visit.goto(f"{base_url}{path}")
        assert visit.evaluate(LAYOUT_SHIFTS) < 0.01
    finally:
        fresh.close()
