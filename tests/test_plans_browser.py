"""In Debian's Chromium on a phone: an educator's plan with a session logged offline, the tutor's flag,
and a community pact in Borgo Loreto with its activities, a photo taken offline, and its place on the map.

"Offline" means the server was not hit (live_server counts requests); "once" is checked on the raw POSTs
and on the stored rows.
"""
import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from fieldapp.db import connect
from tests.conftest import PHOTOS, ROME, eventually, sign_in_page
from tests.test_offline_browser import pages_served  # leaves out the browser's own service-worker update check

pytestmark = pytest.mark.browser

PHOTO = PHOTOS / "gps" / "DSCN0010.jpg"
HOUSEHOLD = "DEMO-BLO-170"


def query(live_server, sql, params=()):
    db = connect(live_server.app.config["DATABASE"])
    try:
        return [dict(row) for row in db.query(sql, list(params))]
    finally:
        db.close()


def test_educator_logs_a_session_offline_and_reviews_a_goal_and_the_tutor_sees_only_the_flag(
        context, signed_in, live_server, base_url, browser, browser_context_args):
    page = signed_in("educatore")
    page.get_by_role("link", name="Apri un progetto").click()
    page.get_by_label("Codice nucleo").fill(HOUSEHOLD)
    page.get_by_label("Decennio di nascita").select_option("1980s")
    page.get_by_label("Proposto da").select_option("tutor")
    page.get_by_label("Data di adesione della persona").fill("2026-11-02")
    page.get_by_label("Numero di protocollo del patto firmato").fill("PG/2026/7788")
    page.get_by_label("Obiettivi").fill("Riprendere in mano le spese di casa")
    page.get_by_role("button", name="Apri il progetto").click()
    expect(page.get_by_role("status").filter(has_text="Progetto aperto.")).to_be_visible()
    plan_id = int(re.search(r"/plans/(\d+)$", page.url).group(1))

    page.locator("summary", has_text="Aggiungi un obiettivo").click()
    page.get_by_label("Ambito").select_option("finances")
    page.locator("#text").fill("Tenere il quaderno delle spese")
    page.get_by_role("button", name="Salva l’obiettivo").click()
    expect(page.get_by_test_id("goal")).to_have_count(1)

    # In a stairwell with no signal: the session waits on the phone.
    page.get_by_role("link", name="Registra una sessione").click()
    expect(page.get_by_test_id("no-diagnoses")).to_be_visible()
    session_url = f"/plans/{plan_id}/sessions/new"
    context.set_offline(True)
    served = pages_served(live_server)
    page.locator("label.choice", has_text="A domicilio").click()
    page.locator("label.choice", has_text="Tenere il quaderno delle spese").click()
    page.get_by_label("Nota breve").fill("Quaderno iniziato insieme")
    uuid = page.locator("form[data-outbox] input[name=uuid]").input_value()
    page.get_by_role("button", name="Salva la sessione").click()
    page.wait_for_timeout(500)
    assert pages_served(live_server) == served, "nothing reached the server while offline"
    assert query(live_server, "SELECT * FROM plan_sessions WHERE plan_id = ?", [plan_id]) == []

    posts = live_server.count("POST", session_url)
    context.set_offline(False)
    stored = eventually(lambda: query(live_server, "SELECT * FROM plan_sessions WHERE plan_id = ?", [plan_id]),
                        timeout=30)
    page.wait_for_timeout(1000)  # room for a duplicate replay to show itself
    assert live_server.count("POST", session_url) - posts == 1
    assert [s["uuid"] for s in stored] == [uuid] and stored[0]["kind"] == "home"
    assert len(query(live_server, "SELECT * FROM plan_sessions WHERE plan_id = ?", [plan_id])) == 1

    page.goto(f"{base_url}/plans/{plan_id}")
    expect(page.get_by_test_id("session")).to_have_count(1)
    page.get_by_role("link", name="Verifica gli obiettivi").click()
    page.get_by_label("Tenere il quaderno delle spese").select_option("0")
    page.get_by_role("button", name="Salva la verifica").click()
    expect(page.get_by_role("status").filter(has_text="Verifica salvata: 1 obiettivo su 1 raggiunto.")).to_be_visible()
    expect(page.get_by_test_id("goal-score")).to_contain_text("raggiunto")

    # The household's tutor, on another phone: the flag, the next review, whom to ask. Nothing else.
    household = query(live_server, "SELECT id FROM households WHERE code = ?", [HOUSEHOLD])[0]["id"]
    tutor_context = browser.new_context(**browser_context_args)
    tutor_context.clock.install(time=datetime.now(ROME))  # the phone's clock agrees with the server's
    try:
        tutor = sign_in_page(tutor_context.new_page(), base_url, "tutor.loreto")
        tutor.goto(f"{base_url}/households/{household}")
        flag = tutor.get_by_test_id("plan-flag")
        expect(flag).to_contain_text("Progetto educativo attivo")
        expect(flag).to_contain_text("Educatore Demo")
        body = tutor.locator("body").inner_text()
        for secret in ("Tenere il quaderno", "PG/2026/7788", "Riprendere in mano", "Quaderno iniziato", "PEI-"):
            assert secret not in body
        assert tutor.goto(f"{base_url}/plans/{plan_id}").status == 403
    finally:
        tutor_context.close()


def test_community_manager_records_a_pact_with_two_activities_and_a_photo_and_finds_it_on_the_map(
        context, signed_in, live_server, base_url):
    page = signed_in("community")
    page.goto(f"{base_url}/pacts/")
    page.get_by_role("link", name="Registra un patto").click()
    page.get_by_label("Tipo di patto").select_option("care")
    page.locator("label.choice", has_text="Un luogo della mappa").click()
    page.get_by_label("Nome del luogo").fill("Giardino di via Sardagna")
    page.get_by_label("Latitudine").fill("45.1462")
    page.get_by_label("Longitudine").fill("10.0371")
    page.get_by_label("Ufficio comunale firmatario").select_option("quartieri_beni_comuni")
    page.get_by_label("Numero di firmatari").fill("9")
    page.get_by_label("Proposto il").fill("2026-09-01")
    page.get_by_role("button", name="Salva il patto").click()
    expect(page.get_by_role("status").filter(has_text="Patto registrato come proposta.")).to_be_visible()
    pact_id = int(re.search(r"/pacts/(\d+)$", page.url).group(1))
    pact = query(live_server, "SELECT * FROM pacts WHERE id = ?", [pact_id])[0]
    assert (pact["quartiere_id"], pact["presidio_code"]) == (5, "P-BLO")  # Borgo Loreto

    for status in ("In istruttoria", "Firmato", "Attivo"):
        page.locator("#on").fill("2026-10-01")
        page.get_by_role("button", name=f"Passa a: {status}").click()
        expect(page.get_by_test_id("pact-status")).to_have_text(status)
    expect(page.get_by_test_id("pact-history").locator("li")).to_have_count(4)

    # First activity in the garden, photo taken with no signal: it travels later through the outbox.
    page.get_by_role("link", name="Registra un’attività").click()
    activity_url = f"/pacts/{pact_id}/activities/new"
    expect(page.locator("#activity-form #held_on")).to_be_visible()  # the form is on the phone before the signal goes
    context.set_offline(True)
    served = pages_served(live_server)
    form = page.locator("#activity-form")
    form.locator("#held_on").fill("2026-11-14")
    form.locator("#volunteers").fill("7")
    form.locator("#person_hours").fill("14")
    form.locator("input[type=file][data-photos]").set_input_files(str(PHOTO))
    expect(form.locator("input[name=photo_uuid]")).to_have_count(1)
    activity_uuid = form.locator("input[name=uuid]").input_value()
    form.get_by_role("button", name="Salva l’attività").click()
    page.wait_for_timeout(500)
    assert pages_served(live_server) == served, "nothing reached the server while offline"
    posts = live_server.count("POST", activity_url)
    context.set_offline(False)
    eventually(lambda: query(live_server, "SELECT * FROM photos WHERE owner = 'pact_activity' AND owner_id = ?",
                             [activity_uuid]))
    assert live_server.count("POST", activity_url) - posts == 1
    assert len(query(live_server, "SELECT * FROM pact_activities WHERE uuid = ?", [activity_uuid])) == 1

    # Second activity, with signal.
    page.goto(f"{base_url}{activity_url}")
    form = page.locator("#activity-form")
    form.locator("#held_on").fill("2026-11-17")
    form.locator("#volunteers").fill("5")
    form.locator("#person_hours").fill("10")
    form.get_by_role("button", name="Salva l’attività").click()
    expect(page.get_by_role("status").filter(has_text="Attività registrata.")).to_be_visible()
    page.goto(f"{base_url}/pacts/{pact_id}")
    expect(page.get_by_test_id("activity")).to_have_count(2)
    expect(page.get_by_test_id("activity-photo")).to_have_count(1)

    page.goto(f"{base_url}/pacts/map")
    label = page.locator(".leaflet-tooltip", has_text="Giardino di via Sardagna")
    expect(label).to_be_visible()
    expect(label).to_contain_text("Attivo")
    expect(page.locator(".leaflet-tooltip", has_text="Piazza dei Patrioti")).to_be_visible()
