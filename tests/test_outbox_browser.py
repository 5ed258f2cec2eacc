"""The outbox in Chromium on a phone screen: what only a browser proves. A refused form shows the
server's field error; one failing item is tried again and set aside without blocking the rest; a
record deleted on the server is set aside with the reason; another user's items are a count, sent
when their owner is back; an offline form takes the time of capture; several photos per report.
(The queue, protocol and retry policy themselves: tests/js/, with Node's test runner.)"""
import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from fieldapp.db import connect
from tests.conftest import PHOTOS, PINNED, ROME, eventually
from tests.test_offline_browser import (
    a_building,
    all_sent,
    badge,
    controlled,
    fill_report,
    households,
    query,
    rows,
    send_now,
    submit_visit,
)

pytestmark = pytest.mark.browser

PICKS = [PHOTOS / "gps" / name for name in ("DSCN0010.jpg", "DSCN0021.jpg", "DSCN0029.jpg", "DSCN0040.jpg")]
PICKS.append(PHOTOS / "orientation" / "landscape_1.jpg")


def items(page):
    return {i["id"]: i for i in page.evaluate("""CortileOutbox.items().then((all) => all.map((i) => (
        {id: i.id, state: i.state, tries: i.tries || 0, reason: i.reason || null, error: i.error || null,
         action: i.action || null})))""")}


def send_now_and_wait_for_the_try(page, item):
    """One "Send now", then wait until the item has been tried once more or is no longer pending."""
    tries = items(page)[item]["tries"]
    send_now(page)
    eventually(lambda: items(page)[item]["tries"] > tries or items(page)[item]["state"] != "pending")


def user_id(live_server, username):
    return query(live_server, "SELECT id FROM users WHERE username = ?", [username])[0]["id"]


def test_refused_gone_and_failing_items_are_set_aside_with_their_reasons(context, signed_in, live_server, base_url):
    page = signed_in("tutor.loreto")
    refused, good, failing = households(live_server, count=3)
    urls = {h["id"]: f"{base_url}/households/{h['id']}/visits/new" for h in (refused, good, failing)}
    page.goto(f"{base_url}/agenda")
    controlled(page)
    for url in urls.values():
        page.goto(url)  # kept on the phone
    page.goto(f"{base_url}/agenda")
    context.set_offline(True)
    done = page.locator("form[data-outbox][action$='/done']").first
    followup = done.get_attribute("action").split("/")[2]
    done.locator("button[type=submit]").click()
    expect(badge(page)).to_have_text("1 da inviare")  # kept on the phone before the tutor moves on
    page.goto(urls[refused["id"]])
    page.locator("form[data-outbox] input[name=visit_date]").fill("2099-01-01")  # the server refuses a future visit
    wrong = submit_visit(page, "Data sbagliata")
    expect(badge(page)).to_have_text("2 da inviare")
    page.goto(urls[good["id"]])
    sent = submit_visit(page, "Una visita corretta")
    expect(badge(page)).to_have_text("3 da inviare")
    page.goto(urls[failing["id"]])
    stuck = submit_visit(page, "Il server cade su questa")
    expect(badge(page)).to_have_text("4 da inviare")

    # Meanwhile the follow-up is deleted on the server, and one form keeps meeting a server error.
    db = connect(live_server.app.config["DATABASE"])
    with db.conn:
        db.execute("DELETE FROM followups WHERE uuid = ?", [followup])
    db.close()
    broken = re.compile(rf".*/households/{failing['id']}/visits/new$")
    context.route(broken, lambda route: route.fulfill(status=500, body="Internal Server Error")
                  if route.request.method == "POST" else route.continue_())
    done_item = next(i["id"] for i in items(page).values() if (i["action"] or "").endswith(f"/{followup}/done"))
    context.set_offline(False)
    eventually(lambda: items(page).get(stuck, {}).get("tries", 0) >= 1)
    assert len(rows(live_server, "visits", sent)) == 1, "the failing item does not block the others"
    state = items(page)
    assert state[done_item]["state"] == "quarantined" and state[done_item]["reason"] == "gone"
    assert state[wrong]["state"] == "quarantined" and state[wrong]["error"] == "La visita non può essere nel futuro."
    while items(page)[stuck]["state"] == "pending":  # each "Send now" is one more try
        send_now_and_wait_for_the_try(page, stuck)
    assert items(page)[stuck]["tries"] == 5 and rows(live_server, "visits", stuck) == []

    badge(page).click()
    page.wait_for_url("**/outbox")
    listed = page.locator("#outbox-list")
    expect(listed.locator(f"[data-item-id='{wrong}'] [data-item-error]")).to_have_text(
        "Non accettato dal server: La visita non può essere nel futuro.")
    expect(listed).not_to_contain_text("sessione")
    expect(listed.locator(f"[data-item-id='{done_item}'] [data-item-error]")).to_contain_text("Non c'è più sul server")
    failed = listed.locator(f"[data-item-id='{stuck}']")
    expect(failed.locator("[data-item-error]")).to_contain_text("dopo 5 tentativi")
    expect(failed.locator("[data-item-error]")).to_contain_text("errore 500")
    context.unroute(broken)  # the server is mended: "Try again" sends it
    failed.get_by_role("button", name="Riprova").click()
    expect(failed).to_have_count(0)
    assert len(rows(live_server, "visits", stuck)) == 1
    assert set(items(page)) == {wrong, done_item}, "set aside until fixed or deleted, never dropped"


def test_another_users_items_are_a_count_and_go_when_their_owner_is_back(context, signed_in, live_server, base_url):
    page = signed_in("tutor.loreto")
    household = households(live_server)[0]
    url = f"{base_url}/households/{household['id']}/visits/new"
    controlled(page)
    page.goto(url)
    context.set_offline(True)
    uuid = submit_visit(page, "Nota riservata di chi ha salvato")
    expect(badge(page)).to_have_text("1 da inviare")
    context.clear_cookies()  # the session ends without a sign-out; a colleague takes the phone
    context.set_offline(False)

    signed_in("tutor.loreto2")
    page.goto(f"{base_url}/outbox")
    expect(page.get_by_test_id("outbox-others")).to_have_text(
        "Salvati su questo telefono da un altro utente: 1. Partono quando quell'utente accede di nuovo.")
    expect(page.locator("#outbox-list li")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Nota riservata")
    expect(badge(page)).to_be_hidden()
    assert rows(live_server, "visits", uuid) == [], "never sent under another user's session"
    page.get_by_role("button", name="Esci").click()  # nothing of theirs to send: no question
    page.wait_for_url("**/login")

    signed_in("tutor.loreto")
    all_sent(page)
    visit = rows(live_server, "visits", uuid)
    assert len(visit) == 1 and visit[0]["created_by"] == user_id(live_server, "tutor.loreto")


def test_offline_visit_takes_the_time_it_was_captured(context, signed_in, live_server, base_url, pinned_clock):
    page = controlled(signed_in("tutor.loreto"))
    household = households(live_server)[0]
    url = f"{base_url}/households/{household['id']}/visits/new"
    page.goto(url)  # prepared for offline use at T (the pinned Wednesday, 10:30)
    expect(page.locator("input[name=visit_time]")).to_have_value(re.compile(r"^10:3\d$"))
    context.set_offline(True)
    next_afternoon = datetime(PINNED.year, PINNED.month, PINNED.day + 1, 16, 30, tzinfo=ROME)
    page.clock.set_system_time(next_afternoon)
    response = page.goto(url)  # reopened the next afternoon, still offline
    assert response.from_service_worker
    expect(page.locator("input[name=visit_date]")).to_have_value(next_afternoon.date().isoformat())
    expect(page.locator("input[name=visit_time]")).to_have_value("16:30")
    uuid = submit_visit(page, "Visita del pomeriggio dopo")
    expect(badge(page)).to_have_text("1 da inviare")
    try:
        pinned_clock.move_to(next_afternoon.replace(minute=45))  # back in signal a quarter of an hour later
        context.set_offline(False)
        page.locator("#outbox-signin").get_by_role("link").click()  # overnight, the session ended
        page.get_by_label("Nome utente").fill("tutor.loreto")
        page.get_by_label("Password").fill("demo-cortile")
        page.get_by_role("button", name="Accedi").click()
        page.wait_for_url(url)
        all_sent(page)
    finally:
        pinned_clock.move_to(PINNED)
    visit = rows(live_server, "visits", uuid)[0]
    assert visit["visited_at"] == "2026-11-19T16:30"
    assert visit["client_created_at"].startswith("2026-11-19T15:30")  # the device's save, in UTC


def test_each_photo_pick_adds_to_the_report_up_to_five(signed_in, live_server, base_url):
    page = signed_in("tutor.loreto")
    page.goto(f"{base_url}/reports/new")
    photos = page.locator("#photos")
    previews = page.locator("[data-photo-previews] [data-photo-preview]")
    uploads = live_server.count("POST", "/sync/photos")
    photos.set_input_files(str(PICKS[0]))  # one camera shot...
    expect(previews).to_have_count(1)
    photos.set_input_files(str(PICKS[1]))  # ...and another: added, not replacing the first
    expect(previews).to_have_count(2)
    page.get_by_role("button", name="Togli la foto 1").click()
    expect(previews).to_have_count(1)
    photos.set_input_files([str(p) for p in PICKS[:4]])
    expect(previews).to_have_count(5)
    kept = page.locator("input[name=photo_uuid]").evaluate_all("(inputs) => inputs.map((i) => i.value)")
    assert len(set(kept)) == 5
    # Each preview is drawn from the JPEG made on the phone.
    assert page.locator("[data-photo-previews] img").evaluate_all(
        "(imgs) => imgs.every((img) => img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:'))")

    photos.set_input_files(str(PICKS[4]))  # a sixth
    expect(page.locator("[data-photo-status]")).to_have_text("Al massimo 5 foto: togline una per aggiungerne un'altra.")
    expect(previews).to_have_count(5)
    assert page.evaluate("document.getElementById('photos').files.length") == 5
    assert live_server.count("POST", "/sync/photos") == uploads, "refused on the phone, before any upload"

    uuid = fill_report(page, a_building(live_server), [])
    page.locator("#report-form button[type=submit]:not([formaction])").click()
    page.wait_for_url(f"**/reports/{uuid}")
    all_sent(page, timeout=30)
    stored = query(live_server, "SELECT uuid FROM photos WHERE owner = 'report' AND owner_id = ?", [uuid])
    assert sorted(p["uuid"] for p in stored) == sorted(kept)
