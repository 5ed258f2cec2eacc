"""In Debian's Chromium on a phone: a tutor logs a visit with a follow-up by thumb and finds it on the agenda."""
import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from fieldapp.db import connect
from fieldapp.visits.forms import local_today

pytestmark = pytest.mark.browser


def household(live_server, code):
    db = connect(live_server.app.config["DATABASE"])
    try:
        return next(db.query("SELECT id, code FROM households WHERE code = ?", [code]))
    finally:
        db.close()


def followup_status(live_server, code):
    db = connect(live_server.app.config["DATABASE"])
    try:
        return [row["status"] for row in db.query(
            "SELECT f.status FROM followups f JOIN households h ON h.id = f.household_id "
            "WHERE h.code = ? AND f.action = 'phone_call' ORDER BY f.created_at", [code])]
    finally:
        db.close()


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_tutor_logs_a_visit_with_a_followup_and_sees_it_on_the_agenda(signed_in, live_server):
    target = household(live_server, "DEMO-BLO-150")
    page = signed_in("tutor.loreto")
    page.goto(f"{live_server.url}/households/{target['id']}")
    page.get_by_role("link", name="Registra una visita").first.tap()
    expect(page.get_by_role("heading", name=re.compile("Nuova visita"))).to_be_visible()
    assert fits_the_screen(page)

    # Date and time come prefilled; the rest is taps on big toggles.
    page.locator("label.choice", has_text="Educativa").tap()
    page.locator("label.choice", has_text="Assegnatario").tap()
    page.locator("label.choice", has_text="Umidità o muffa").tap()
    expect(page.get_by_label("Educativa", exact=True)).to_be_checked()
    expect(page.get_by_label("Nota breve")).to_be_hidden()  # the note starts collapsed

    due = (local_today() + timedelta(days=3)).isoformat()
    page.locator("#followups-0-action").select_option("phone_call")
    page.locator("#followups-0-due_on").fill(due)
    # A second row comes from the page's own script, without a round trip.
    page.get_by_role("button", name="Aggiungi un'altra azione").tap()
    expect(page.locator("[data-row]")).to_have_count(2)
    assert fits_the_screen(page)

    page.get_by_role("button", name="Salva la visita").tap()
    expect(page.get_by_role("status").filter(has_text="Visita a DEMO-BLO-150 salvata.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/visits/[0-9a-f-]{36}$"))
    assert followup_status(live_server, "DEMO-BLO-150") == ["open"]

    page.get_by_role("navigation", name="Menu principale").get_by_role("link", name="Agenda").tap()
    expect(page.get_by_role("heading", name="Agenda", exact=True)).to_be_visible()
    row = page.get_by_test_id("followup").filter(has_text="DEMO-BLO-150").filter(has_text="Telefonata")
    expect(row).to_have_count(1)
    assert fits_the_screen(page)

    posts = live_server.count("POST", "/followups/")
    upcoming = int(page.locator("#upcoming-count").inner_text())
    row.get_by_role("button", name="Segna come fatta").tap()
    expect(row.get_by_role("button", name="Annulla")).to_be_visible()
    expect(page.locator("#upcoming-count")).to_have_text(str(upcoming - 1))  # the counter follows
    assert live_server.count("POST", "/followups/") == posts + 1
    assert followup_status(live_server, "DEMO-BLO-150") == ["done"]
    row.get_by_role("button", name="Annulla").tap()
    expect(row.get_by_role("button", name="Segna come fatta")).to_be_visible()
    assert followup_status(live_server, "DEMO-BLO-150") == ["open"]


def test_a_bad_visit_shows_its_message_on_the_phone(signed_in, live_server):
    target = household(live_server, "DEMO-BLO-151")
    page = signed_in("tutor.loreto")
    page.goto(f"{live_server.url}/households/{target['id']}/visits/new")
    page.locator("#followups-0-action").select_option("revisit")
    page.locator("#followups-0-due_on").fill("2020-01-01")
    page.get_by_role("button", name="Salva la visita").tap()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text("Un’azione non può scadere prima della visita.")).to_be_visible()


@pytest.mark.parametrize("path", ["FORM", "/agenda", "/meetings/new", "/meetings/summary"])
def test_field_pages_have_no_serious_accessibility_violations(signed_in, live_server, path):
    page = signed_in("coordinatrice" if "meetings" in path else "tutor.loreto")
    if path == "FORM":
        path = f"/households/{household(live_server, 'DEMO-BLO-152')['id']}/visits/new"
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()
