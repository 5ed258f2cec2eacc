"""Offline pages expire, unsent work never does: the session ended on the server, and the phone's
clock past OFFLINE_MAX_HOURS, in real Chromium with Playwright's clock."""
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from fieldapp.db import connect
from tests.conftest import ROME
from tests.test_offline_browser import badge, controlled, households, outbox, submit_visit

pytestmark = pytest.mark.browser


def saved(page, path):
    return page.evaluate("""(path) => caches.has('cortile-pages').then((has) => has
        ? caches.open('cortile-pages').then((c) => c.keys()).then((keys) => keys.some((k) => k.url.endsWith(path)))
        : false)""", path)


def save_household_and_queue_a_visit(page, base_url, household, note):
    """Open the household page (the worker keeps it), then log a visit offline (it waits in the outbox)."""
    path = f"/households/{household['id']}"
    page.goto(base_url + path)
    controlled(page)
    page.goto(base_url + path)
    page.wait_for_function(f"() => caches.open('cortile-pages').then((c) => c.keys())"
                           f".then((keys) => keys.some((k) => k.url.endsWith('{path}')))")
    page.goto(f"{base_url}{path}/visits/new")
    page.context.set_offline(True)
    uuid = submit_visit(page, note)
    expect(badge(page)).to_have_text("1 da inviare")
    page.goto(base_url + path)  # offline, the saved copy is shown
    expect(page.get_by_text(household["code"]).first).to_be_visible()
    return path, uuid


def test_a_session_ended_on_the_server_drops_saved_pages_at_the_next_online_request(context, signed_in,
                                                                                  live_server, base_url):
    page = signed_in("tutor.centro")
    household = households(live_server, presidio="P-CEN")[0]
    path, uuid = save_household_and_queue_a_visit(page, base_url, household, "Prima della fine della sessione")
    db = connect(live_server.app.config["DATABASE"])
    with db.conn:
        db.execute("UPDATE users SET session_epoch = session_epoch + 1 WHERE username = 'tutor.centro'")
    db.close()
    context.set_offline(False)
    page.goto(base_url + path)  # one online request: the server sends the phone to the sign-in page
    page.wait_for_url("**/login**")
    page.wait_for_function("() => caches.has('cortile-pages').then((has) => !has)")
    context.set_offline(True)
    page.goto(base_url + path)
    expect(page.get_by_text(household["code"])).to_have_count(0)
    assert not saved(page, path)
    assert [item["id"] for item in outbox(page)] == [uuid], "the unsent visit is still on the phone"


def test_saved_pages_expire_offline_max_hours_after_the_last_contact(context, signed_in, live_server, base_url):
    page = signed_in("tutor.centro2")
    household = households(live_server, presidio="P-CEN", count=2)[1]
    path, uuid = save_household_and_queue_a_visit(page, base_url, household, "Una giornata in cantina")
    page.clock.set_system_time(datetime.now(ROME) + timedelta(hours=47))
    page.goto(base_url + path)  # a day in a cellar: still readable
    expect(page.get_by_text(household["code"]).first).to_be_visible()
    page.clock.set_system_time(datetime.now(ROME) + timedelta(hours=49))
    page.goto(base_url + path)
    page.wait_for_url("**/offline")
    expect(page.get_by_text(household["code"])).to_have_count(0)
    assert not saved(page, path)
    page.goto(base_url + path)
    expect(page.get_by_text(household["code"])).to_have_count(0)
    assert [item["id"] for item in outbox(page)] == [uuid], "the unsent visit survives the expiry"
