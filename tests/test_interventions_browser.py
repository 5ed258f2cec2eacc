"""In Debian's Chromium on a phone: the operator plans three reports with a contractor, notifies the
tenants, starts the work and marks it done with a real "after" photo; the reports close themselves."""
import re
import uuid as uuid_module

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from fieldapp.clock import local_today
from fieldapp.db import connect
from tests.conftest import PHOTOS

pytestmark = pytest.mark.browser


def three_verified_reports(live_server):
    """Three verified reports in one building of the live server's database (fresh ones, made here)."""
    db = connect(live_server.app.config["DATABASE"])
    try:
        building = next(db.query("SELECT * FROM buildings WHERE code = 'B05-03'"))
        author = next(db.query("SELECT id FROM users WHERE username = 'tutor.loreto'"))["id"]
        uuids = [str(uuid_module.uuid4()) for _ in range(3)]
        with db.conn:
            db["reports"].insert_all([{
                "uuid": u, "building_id": building["id"], "area": area, "category": "waste", "severity": "serious",
                "description": "", "status": "verified", "lat": building["lat"], "lon": building["lon"],
                "location_source": "building", "far": 0, "created_at": "2026-01-10T09:00:00Z",
                "created_by": author, "version": 2,
            } for u, area in zip(uuids, ("cellars", "courtyard", "bin_area"), strict=True)])
        contractor = next(db.query("SELECT id FROM contractors WHERE name = 'Ditta Demo Pulizie Srl'"))["id"]
        return building, uuids, contractor
    finally:
        db.close()


def state(live_server, intervention_id, uuids):
    db = connect(live_server.app.config["DATABASE"])
    try:
        reports = {r["status"] for r in db.query(
            f"SELECT status FROM reports WHERE uuid IN ({', '.join('?' * len(uuids))})", uuids)}
        after = db.execute(
            """SELECT COUNT(*) FROM photos WHERE owner = 'intervention' AND role = 'after' AND (owner_id = ? OR
               owner_id IN (SELECT uuid FROM intervention_updates WHERE intervention_id = ?))""",
            [str(intervention_id), intervention_id]).fetchone()[0]
        return reports, after
    finally:
        db.close()


def test_operator_plans_three_reports_and_closes_them_with_an_after_photo(signed_in, live_server):
    building, uuids, contractor = three_verified_reports(live_server)
    page = signed_in("operatore")
    page.goto(f"{live_server.url}/interventions/new?building={building['id']}")
    expect(page.get_by_role("heading", name="Pianifica un intervento")).to_be_visible()
    for uuid in uuids:
        page.locator(f"label[for=\"report-{uuid}\"]").click()
        expect(page.locator(f"#report-{uuid}")).to_be_checked()
    page.locator("#kind").select_option("clearance")
    page.locator("#contractor").select_option(str(contractor))
    page.locator("#scheduled_on").fill(local_today().isoformat())  # on its day: no early-start question
    page.locator("#estimated_cost").fill("450")
    page.get_by_role("button", name="Pianifica l'intervento").click()
    page.wait_for_url(re.compile(r"/interventions/\d+$"))
    intervention_id = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_test_id("intervention-status")).to_contain_text("Pianificato")
    expect(page.get_by_test_id("linked-reports").get_by_role("link")).to_have_count(3)

    # The notice for the entrance, then the steps on the day.
    page.get_by_role("link", name="Avviso per l'ingresso").click()
    expect(page.get_by_test_id("notice").first).to_contain_text("Avviso ai residenti")  # a sheet per scala
    page.go_back()
    page.get_by_role("button", name="Avviso affisso: inquilini avvisati").click()
    expect(page.get_by_test_id("intervention-status")).to_contain_text("Inquilini avvisati")
    page.get_by_role("button", name="I lavori sono iniziati").click()
    expect(page.get_by_test_id("intervention-status")).to_contain_text("In corso")

    page.get_by_role("link", name="Segna come eseguito").click()
    expect(page.get_by_role("heading", name="Segna come eseguito")).to_be_visible()
    page.locator("#after-photos").set_input_files(str(PHOTOS / "orientation" / "portrait_6.jpg"))
    # photos.js shrinks the photo on the phone and gives it a uuid before the form may go.
    expect(page.locator("[data-photo-previews] img")).to_have_count(1)
    expect(page.locator("input[name=photo_uuid]")).to_have_count(1)
    page.locator("#actual_cost").fill("512,30")
    page.get_by_role("button", name="L'intervento è eseguito").click()
    page.wait_for_url(re.compile(rf"/interventions/{intervention_id}$"))
    expect(page.get_by_test_id("intervention-status")).to_contain_text("Eseguito")
    expect(page.get_by_test_id("actual-cost")).to_contain_text("512,30")
    expect(page.get_by_test_id("linked-report-status")).to_have_count(3)
    for status in page.get_by_test_id("linked-report-status").all():
        expect(status).to_have_text(re.compile("Risolt"))
    assert state(live_server, intervention_id, uuids) == ({"resolved"}, 1)
    page.reload()
    expect(page.get_by_test_id("photos-after").locator("img")).to_have_count(1)


def test_notice_and_planning_pages_have_no_serious_accessibility_violations(signed_in, live_server):
    page = signed_in("operatore")
    db = connect(live_server.app.config["DATABASE"])
    try:
        some = next(db.query("SELECT id FROM interventions WHERE status = 'notified' ORDER BY id LIMIT 1"))["id"]
    finally:
        db.close()
    for path in ("/interventions/", "/interventions/new", f"/interventions/{some}", f"/interventions/{some}/notice",
                 "/interventions/week", "/contractors/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        results = Axe().run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], f"{path}: {results.generate_report()}"


def test_the_planning_map_shows_the_interventions_layer(signed_in, live_server):
    page = signed_in("operatore")
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live_server.url}/interventions/map")
    island = page.locator("#map-island")
    expect(island).to_have_attribute("data-interventions-loaded", re.compile(r"^[1-9]\d*$"))
    expect(page.locator(".leaflet-marker-icon.intervention-pin").first).to_be_visible()
    # The verified reports waiting for an intervention are its other layer: loaded, no error shown.
    expect(island).to_have_attribute("data-loaded", re.compile(r"^\d+$"))
    expect(page.locator("#map-error")).to_be_hidden()
    assert missing == []
