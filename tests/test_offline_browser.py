"""Offline in Debian's Chromium on a phone screen: install, capture without signal, replay exactly once.

The server counts the requests it serves (live_server.count): "offline" means it was not hit, and
"exactly once" is checked on the raw POSTs it received as well as on the stored rows.
"""
import re
import uuid as uuid_module
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import expect

from fieldapp.assets import unhashed
from fieldapp.db import connect
from tests.conftest import PHOTOS, eventually

pytestmark = pytest.mark.browser

LANDSCAPE_6 = PHOTOS / "orientation" / "landscape_6.jpg"  # a landscape stored sideways (EXIF 6)
GPS_PHOTO = PHOTOS / "gps" / "DSCN0010.jpg"


# --- helpers ----------------------------------------------------------------------------------

def query(live_server, sql, params=()):
    db = connect(live_server.app.config["DATABASE"])
    try:
        return [dict(row) for row in db.query(sql, list(params))]
    finally:
        db.close()


def households(live_server, presidio="P-BLO", count=1):
    rows = query(live_server, "SELECT h.id, h.code FROM households h JOIN units u ON u.id = h.unit_id "
                              "JOIN buildings b ON b.id = u.building_id WHERE b.presidio_code = ? AND h.active = 1 "
                              "ORDER BY h.id LIMIT ?", [presidio, count])
    return rows


def rows(live_server, table, uuid):
    return query(live_server, f"SELECT * FROM [{table}] WHERE uuid = ?", [uuid])


def controlled(page):
    """Wait until the service worker controls the page (clients.claim: no reload needed)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    return page


def outbox(page):
    return page.evaluate("""CortileOutbox.items().then((all) => all.map((i) => (
        {id: i.id, type: i.type, state: i.state, error: i.error || null, owner_id: i.owner_id || null})))""")


def all_sent(page, timeout=15):
    """Wait until the phone's outbox is empty (polling it), then check the badge went too."""
    eventually(lambda: not outbox(page), timeout, interval=0.05, message="the outbox still holds items")
    expect(badge(page)).to_be_hidden()


def badge(page):
    return page.get_by_test_id("outbox-badge")


def send_now(page):
    """Press "Invia ora" (by script: a replay may empty the outbox, and hide the button, meanwhile)."""
    page.locator("#outbox-status [data-outbox-send]").evaluate("(button) => button.click()")


def submit_visit(page, note):
    """Fill the visit form's note (the rest has valid defaults) and send it; returns its uuid."""
    form = page.locator("form[data-outbox]")
    page.locator("details.note-box summary").click()
    form.locator("textarea[name=note]").fill(note)
    uuid = form.locator("input[name=uuid]").input_value()
    assert re.fullmatch(r"[0-9a-f-]{36}", uuid), "outbox.js gives the form its uuid on the device"
    form.locator("button[type=submit]").click()
    return uuid


def fill_report(page, building_id, files):
    form = page.locator("#report-form")
    form.locator("select[name=building]").select_option(str(building_id))
    form.locator("input[name=area][value=cellars] + label").click()  # the tiles are labels
    form.locator("input[name=category][value=waste] + label").click()
    form.locator("textarea[name=description]").fill(f"Rifiuti in cantina {uuid_module.uuid4().hex[:6]}")
    if files:
        form.locator("input[type=file][data-photos]").set_input_files([str(f) for f in files])
        # photos.js shrinks them on the phone and pairs each with a photo_uuid
        expect(form.locator("input[name=photo_uuid]")).to_have_count(len(files))
    return form.locator("input[name=uuid]").input_value()


def a_building(live_server, presidio="P-BLO"):
    return query(live_server, "SELECT id FROM buildings WHERE presidio_code = ? ORDER BY id LIMIT 1",
                 [presidio])[0]["id"]


def pages_served(live_server):
    """Requests the server served, but the browser's own service-worker update check (sw.js and the
    scripts it imports), which Chromium makes from the browser process, outside the page's offline mode."""
    worker = {"/sw.js", *(f"/static/js/{name}.js" for name in
                          ("idb", "outbox-protocol", "outbox-retry", "outbox-queue", "outbox-replay"))}
    return sum(1 for method, path in live_server.requests if unhashed(path) not in worker)


def photo_size(live_server, photo):
    path = f"{live_server.app.config['PHOTOS_DIR']}/{photo['sha256'][:2]}/{photo['sha256']}.jpg"
    with Image.open(path) as image:
        return image.size


# --- the installable app ----------------------------------------------------------------------

def test_chromium_finds_cortile_installable(signed_in, context, base_url):
    page = controlled(signed_in("tutor.loreto"))
    cdp = context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are always off the record; everything else must be clean.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest") and not manifest.get("errors")


# --- (a) the whole story: a cellar, a visit, a report with two photos, the street ----------------

def test_offline_visit_and_report_with_photos_arrive_exactly_once(context, signed_in, live_server, base_url):
    page = controlled(signed_in("tutor.loreto"))
    household = households(live_server)[0]
    visit_url = f"/households/{household['id']}/visits/new"
    page.goto(f"{base_url}/reports/new")  # opened once with signal: the page is kept on the phone
    page.goto(f"{base_url}{visit_url}")

    context.set_offline(True)
    served = pages_served(live_server)
    visit_uuid = submit_visit(page, "Visita in cantina, senza rete")
    expect(badge(page)).to_have_text("1 da inviare")
    expect(page.locator("#outbox-message")).to_have_text("Salvato su questo telefono: 1 da inviare")

    response = page.goto(f"{base_url}/reports/new")
    assert response.from_service_worker
    report_uuid = fill_report(page, a_building(live_server), [LANDSCAPE_6, GPS_PHOTO])
    photo_uuids = page.locator("#report-form input[name=photo_uuid]").evaluate_all(
        "(inputs) => inputs.map((i) => i.value)")
    page.locator("#report-form button[type=submit]:not([formaction])").click()
    expect(badge(page)).to_have_text("2 da inviare")
    assert sorted(i["type"] for i in outbox(page)) == ["form", "form", "photo", "photo"]
    assert pages_served(live_server) == served, "nothing reached the server while offline"
    page.close()  # the tutor closes the app

    posts = {path: live_server.count("POST", path) for path in (visit_url, "/reports/new", "/sync/photos")}
    context.set_offline(False)
    page = context.new_page()  # back in the street, the tutor opens the app again
    page.goto(f"{base_url}/households/")
    all_sent(page)

    assert live_server.count("POST", visit_url) - posts[visit_url] == 1
    assert live_server.count("POST", "/reports/new") - posts["/reports/new"] == 1
    assert live_server.count("POST", "/sync/photos") - posts["/sync/photos"] == 2
    assert len(rows(live_server, "visits", visit_uuid)) == 1
    report = rows(live_server, "reports", report_uuid)
    assert len(report) == 1 and report[0]["expected_photos"] == 2
    photos = {p["uuid"]: p for p in query(live_server, "SELECT * FROM photos WHERE owner = 'report' AND owner_id = ?",
                                          [report_uuid])}
    assert set(photos) == set(photo_uuids)
    width, height = photo_size(live_server, photos[photo_uuids[0]])
    assert width > height, "the sideways landscape is stored upright"
    page.goto(f"{base_url}/reports/{report_uuid}")
    expect(page.get_by_test_id("report-photos").locator("img")).to_have_count(2)
    expect(page.get_by_test_id("photos-pending")).to_have_count(0)


def test_form_with_errors_comes_back_from_the_server_with_them(signed_in, live_server, base_url):
    page = signed_in("tutor.loreto")
    household = households(live_server)[0]
    page.goto(f"{base_url}/households/{household['id']}/visits/new")
    form = page.locator("form[data-outbox]")
    form.locator("input[name=visit_date]").fill("2099-01-01")  # a visit cannot be in the future
    uuid = submit_visit(page, "Data sbagliata")
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("main .invalid-feedback")).to_contain_text("La visita non può essere nel futuro.")
    expect(page).to_have_url(re.compile(rf"/households/{household['id']}/visits/new$"))
    assert page.locator("form[data-outbox] input[name=uuid]").input_value() == uuid
    # Refused while the tutor waits: the field's error and nothing else; nothing stays on the phone.
    assert_nothing_kept(page)
    assert rows(live_server, "visits", uuid) == []
    form.locator("input[name=visit_date]").fill((date.today() - timedelta(days=1)).isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/visits/{uuid}")
    assert len(rows(live_server, "visits", uuid)) == 1
    all_sent(page)


def assert_nothing_kept(page):
    """No outbox item, no badge, no "stays on this phone": a refused form is not a saved one."""
    page.wait_for_timeout(200)  # the outbox's own work after the answer
    assert outbox(page) == []
    expect(badge(page)).to_be_hidden()
    expect(page.locator("#outbox-message")).to_have_text("")


def test_a_meeting_refused_while_online_shows_its_field_errors_only(signed_in, live_server, base_url):
    page = signed_in("community")
    page.goto(f"{base_url}/meetings/new")
    form = page.locator("form[data-outbox]")
    form.locator("input[name=place]").fill("Sala civica")  # no kind of meeting chosen: a required field
    uuid = form.locator("input[name=uuid]").input_value()
    form.locator("button[type=submit]").click()
    expect(page.locator("main [data-form-errors]")).to_be_visible()
    expect(page.locator("main .invalid-feedback").first).to_be_visible()
    assert_nothing_kept(page)
    assert rows(live_server, "meetings", uuid) == []


def test_follow_up_marked_done_offline_is_sent_later(context, signed_in, live_server, base_url):
    page = signed_in("tutor.loreto")
    page.goto(f"{base_url}/agenda")
    controlled(page)
    context.set_offline(True)
    done = page.locator("form[data-outbox][action$='/done']").first
    followup = done.get_attribute("action").split("/")[2]
    done.locator("button[type=submit]").click()
    expect(badge(page)).to_have_text("1 da inviare")
    assert rows(live_server, "followups", followup)[0]["status"] == "open"
    context.set_offline(False)
    all_sent(page)
    assert rows(live_server, "followups", followup)[0]["status"] == "done"


# --- (b) the server goes down in the middle of a replay ----------------------------------------

def test_server_down_mid_replay_loses_nothing_and_doubles_nothing(context, signed_in, live_server, base_url):
    page = controlled(signed_in("tutor.loreto"))
    targets = households(live_server, count=3)
    urls = [f"/households/{h['id']}/visits/new" for h in targets]
    for url in urls:
        page.goto(f"{base_url}{url}")  # keep each form on the phone
    context.set_offline(True)
    uuids = []
    for number, url in enumerate(urls):
        page.goto(f"{base_url}{url}")
        uuids.append(submit_visit(page, f"Visita {number} durante il guasto"))
        expect(badge(page)).to_have_text(f"{number + 1} da inviare")

    # The second record reaches the server and is stored, then the server dies before answering;
    # while it restarts, nothing gets through.
    down = {"on": False}

    def crash(route):
        if down["on"]:
            route.abort("connectionrefused")
        elif route.request.method == "POST" and urls[1] in route.request.url:
            cookies = context.cookies()
            route.fetch()
            context.add_cookies(cookies)  # see test_dropped_photo_upload_is_retried_and_stored_once
            down["on"] = True
            route.fulfill(status=503, body="Service Unavailable")
        else:
            route.continue_()

    context.route(re.compile(r".*/(households/\d+/visits/new|sync/.*)$"), crash)
    before = [live_server.count("POST", url) for url in urls]
    context.set_offline(False)
    expect(badge(page)).to_have_text("2 da inviare")  # the first went, the second is still held
    assert [len(rows(live_server, "visits", u)) for u in uuids] == [1, 1, 0]

    context.unroute(re.compile(r".*/(households/\d+/visits/new|sync/.*)$"))  # the server is back
    send_now(page)
    all_sent(page)
    assert [len(rows(live_server, "visits", u)) for u in uuids] == [1, 1, 1]
    sent = [live_server.count("POST", url) - b for url, b in zip(urls, before, strict=True)]
    assert sent == [1, 2, 1], "the unanswered record was sent again and absorbed by its uuid"


# --- (c) the first photo upload loses its connection -------------------------------------------

def test_dropped_photo_upload_is_retried_and_stored_once(context, signed_in, live_server, base_url):
    page = signed_in("tutor.loreto")
    page.goto(f"{base_url}/reports/new")
    controlled(page)
    report_uuid = fill_report(page, a_building(live_server), [GPS_PHOTO])
    photo_uuid = page.locator("#report-form input[name=photo_uuid]").input_value()
    dropped = []

    def drop_first(route):
        if route.request.method == "POST" and not dropped:
            cookies = context.cookies()
            route.fetch()  # the server gets the photo, the phone never hears back
            # route.fetch stores the answer's cookies by the real date, not the pinned one: the
            # session cookie (expiring 12 h after the pinned time) would be dropped as expired.
            context.add_cookies(cookies)
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/sync/photos", drop_first)
    uploads = live_server.count("POST", "/sync/photos")
    page.locator("#report-form button[type=submit]:not([formaction])").click()
    page.wait_for_url(f"**/reports/{report_uuid}")
    # The record went; its photo stayed on the phone and went again when the report page opened.
    all_sent(page)
    assert dropped
    assert live_server.count("POST", "/sync/photos") - uploads >= 2  # the lost answer, then the retry
    assert len(rows(live_server, "photos", photo_uuid)) == 1
    page.reload()
    expect(page.get_by_test_id("report-photos").locator("img")).to_have_count(1)


# --- (d) the session ends while the phone is offline -------------------------------------------

def test_session_expired_offline_asks_to_sign_in_then_replays(context, signed_in, live_server, base_url):
    page = signed_in("tutor.loreto2")
    household = households(live_server)[0]
    page.goto(f"{base_url}/households/{household['id']}/visits/new")
    controlled(page)
    context.set_offline(True)
    uuid = submit_visit(page, "Visita prima della scadenza della sessione")
    expect(badge(page)).to_have_text("1 da inviare")
    db = connect(live_server.app.config["DATABASE"])
    with db.conn:
        db.execute("UPDATE users SET session_epoch = session_epoch + 1 WHERE username = 'tutor.loreto2'")
    db.close()

    context.set_offline(False)
    banner = page.locator("#outbox-signin")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("sessione")
    assert len(rows(live_server, "visits", uuid)) == 0 and len(outbox(page)) == 1
    banner.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/login\?next="))
    page.get_by_label("Nome utente").fill("tutor.loreto2")
    page.get_by_label("Password").fill("demo-cortile")
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"**/households/{household['id']}/visits/new")
    all_sent(page)
    visit = rows(live_server, "visits", uuid)
    author = query(live_server, "SELECT id FROM users WHERE username = 'tutor.loreto2'")[0]["id"]
    assert len(visit) == 1 and visit[0]["created_by"] == author


def test_pages_saved_for_one_user_leave_when_another_signs_in(context, signed_in, live_server, base_url):
    page = controlled(signed_in("tutor.pagliari"))
    household = households(live_server, presidio="P-PAG")[0]
    page.goto(f"{base_url}/households/{household['id']}")
    page.wait_for_function("""() => caches.open('cortile-pages').then((c) => c.keys())
        .then((keys) => keys.some((k) => k.url.endsWith(location.pathname)))""")
    context.clear_cookies()  # the session ends without a sign-out
    signed_in("tutor.sanfelice")
    page.wait_for_function("() => caches.open('cortile-pages').then((c) => c.keys()).then((keys) => "
                           f"!keys.some((k) => k.url.endsWith('/households/{household['id']}')))")


# --- (e) the app shell and the prepared working set, with no network at all --------------------

def test_prepared_pages_and_app_shell_load_offline(context, signed_in, live_server, base_url):
    page = signed_in("tutor.sanfelice")
    controlled(page)
    page.get_by_role("button", name="Prepara per l'uso offline").click()
    progress = page.locator("[data-prepare-progress]")
    expect(progress).to_contain_text("Pronto per l'uso offline", timeout=30000)
    urls = page.evaluate("fetch('/sync/manifest').then((r) => r.json()).then((m) => m.urls)")
    never_opened = next(u for u in urls if re.fullmatch(r"/households/\d+", u))
    household = query(live_server, "SELECT code FROM households WHERE id = ?", [int(never_opened.split("/")[2])])[0]

    context.set_offline(True)
    served = pages_served(live_server)
    for url, heading in ((never_opened, household["code"]), (f"{never_opened}/visits/new", household["code"]),
                         ("/households/", None), ("/reports/new", None), ("/outbox", "In attesa di invio")):
        response = page.goto(f"{base_url}{url}")
        assert response.ok and response.from_service_worker, url
        if heading:
            expect(page.locator("main h1")).to_contain_text(heading)
    # A boosted link (htmx) to a saved page works too; a page never saved says so clearly.
    page.goto(f"{base_url}/households/")
    page.locator(f"a[href='{never_opened}']").first.click()
    expect(page.locator("main h1")).to_contain_text(household["code"])
    response = page.goto(f"{base_url}/buildings/")
    assert response.from_service_worker
    expect(page.get_by_test_id("offline-message")).to_be_visible()
    assert pages_served(live_server) == served, "the server was not asked for anything"


def test_htmx_fragment_requests_offline_get_a_marked_error_not_a_page(context, signed_in, base_url):
    page = controlled(signed_in("tutor.loreto"))
    context.set_offline(True)
    answer = page.evaluate("""fetch('/households/?q=x', {headers: {'HX-Request': 'true'}})
        .then((r) => ({status: r.status, marker: r.headers.get('X-Cortile-Offline')}))""")
    assert answer == {"status": 503, "marker": "1"}


# --- (f) a conflicting duplicate is set aside, visible, and does not block the others ----------

def test_conflicting_duplicate_is_quarantined_visible_and_fixable(context, signed_in, live_server, base_url):
    page = controlled(signed_in("tutor.loreto"))
    first, second = households(live_server, count=2)
    url = f"{base_url}/households/{first['id']}/visits/new"
    page.goto(url)
    taken = submit_visit(page, "La versione salvata")
    page.wait_for_url(f"**/visits/{taken}")
    page.goto(f"{base_url}/households/{second['id']}/visits/new")

    context.set_offline(True)
    page.goto(url)
    page.locator("form[data-outbox] input[name=uuid]").evaluate("(input, uuid) => { input.value = uuid; }", taken)
    submit_visit(page, "Un'altra versione con lo stesso uuid")
    expect(badge(page)).to_have_text("1 da inviare")
    page.goto(f"{base_url}/households/{second['id']}/visits/new")
    good = submit_visit(page, "Una visita corretta")
    expect(badge(page)).to_have_text("2 da inviare")

    context.set_offline(False)
    expect(badge(page)).to_have_text("1 da inviare")
    expect(page.locator("#outbox-message")).to_contain_text("1 da controllare")
    assert len(rows(live_server, "visits", good)) == 1, "one bad item never blocks the others"
    assert rows(live_server, "visits", taken)[0]["note"] == "La versione salvata"

    badge(page).click()
    item = page.locator(f"#outbox-list [data-item-id='{taken}']")
    expect(item).to_be_visible()
    expect(item.locator("[data-item-error]")).to_contain_text("modificato")  # the server's own message
    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()
    item.get_by_role("button", name="Apri e correggi").click()
    page.wait_for_url(url)
    expect(page.locator("textarea[name=note]")).to_have_value("Un'altra versione con lo stesso uuid")
    fixed = page.locator("form[data-outbox] input[name=uuid]").input_value()
    assert fixed != taken, "other content needs its own uuid"
    page.locator("form[data-outbox] button[type=submit]").click()
    page.wait_for_url(f"**/visits/{fixed}")
    all_sent(page)
    assert len(rows(live_server, "visits", fixed)) == 1


# --- (g) signing out with unsent records asks first -------------------------------------------

def test_sign_out_with_unsent_records_asks_first(context, signed_in, live_server, base_url):
    page = signed_in("tutor.loreto")
    household = households(live_server)[0]
    page.goto(f"{base_url}/households/{household['id']}/visits/new")
    controlled(page)
    context.set_offline(True)
    uuid = submit_visit(page, "Visita da inviare prima di uscire")
    expect(badge(page)).to_have_text("1 da inviare")

    page.get_by_role("button", name="Esci").click()
    panel = page.locator("#logout-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("button", name="Esci ed elimina 1 elemento non inviato")).to_be_visible()
    panel.get_by_role("button", name="Annulla").click()
    expect(panel).to_be_hidden()
    assert len(outbox(page)) == 1 and "/login" not in page.url

    # Back online, but the server cannot be reached yet: the record stays, the question comes again.
    visits = re.compile(r".*/households/\d+/visits/new$")
    context.route(visits, lambda route: route.abort("connectionrefused"))
    context.set_offline(False)
    send_now(page)
    expect(badge(page)).to_have_text("1 da inviare")
    page.get_by_role("button", name="Esci").click()
    expect(panel).to_be_visible()
    context.unroute(visits)
    panel.get_by_role("button", name="Invia prima").click()
    page.wait_for_url("**/login")
    assert len(rows(live_server, "visits", uuid)) == 1
    assert outbox(page) == []
    kept = page.evaluate("caches.keys()")
    assert kept and all(name.startswith("cortile-shell-") for name in kept), "saved pages leave with the session"


def test_sign_out_and_delete_drops_unsent_records_only_when_chosen(context, signed_in, live_server, base_url):
    page = signed_in("tutor.loreto")
    household = households(live_server)[0]
    page.goto(f"{base_url}/households/{household['id']}/visits/new")
    controlled(page)
    context.set_offline(True)
    uuid = submit_visit(page, "Visita da scartare")
    expect(badge(page)).to_have_text("1 da inviare")
    context.route(re.compile(r".*/households/\d+/visits/new$"), lambda route: route.abort("connectionrefused"))
    context.set_offline(False)
    page.get_by_role("button", name="Esci").click()
    page.locator("#logout-panel").get_by_role("button", name=re.compile("Esci ed elimina")).click()
    page.wait_for_url("**/login")
    assert outbox(page) == []
    assert rows(live_server, "visits", uuid) == []
