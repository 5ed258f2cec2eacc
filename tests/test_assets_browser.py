"""In Chromium: the one reduced stylesheet styles the page, and offline the service worker answers a
page saved before a deploy (old hashed names) with today's files instead of leaving it unstyled."""
import re

from tests.test_assets import built  # noqa: F401  (autouse: a current build before the live server)
from tests.test_offline_browser import controlled


def test_the_bundle_styles_the_page_and_old_names_are_answered_offline(signed_in, context, live_server):
    page = controlled(signed_in("tutor.loreto"))
    # Styled by Bootstrap Italia's rules, from the reduced bundle: grid, utilities, the hidden skip link.
    style = "([selector, property]) => getComputedStyle(document.querySelector(selector))[property]"
    assert page.evaluate(style, ["main.container-xxl", "paddingLeft"]) == "12px"
    assert page.evaluate(style, ["footer .d-flex", "display"]) == "flex"
    assert page.evaluate(style, ["[data-testid=user-badge] .fw-semibold", "fontWeight"]) == "600"
    assert page.locator(".skip-link").bounding_box()["width"] <= 1
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Titillium Web"')
    bundle = page.locator('link[rel="stylesheet"]').get_attribute("href")
    stale = re.sub(r"\.[0-9a-f]{12}\.", ".0123456789ab.", bundle)
    served = live_server.count(prefix="/static/css/app.bundle.0123456789ab")
    context.set_offline(True)
    answer = page.evaluate("""async ([stale, bundle]) => {
        const [old, today] = await Promise.all([fetch(stale), fetch(bundle)].map(async (r) => {
            const response = await r; return [response.status, await response.text()]; }));
        return {status: old[0], same: old[1] === today[1], size: old[1].length};
    }""", [stale, bundle])
    assert answer == {"status": 200, "same": True, "size": answer["size"]} and answer["size"] > 10_000
    assert live_server.count(prefix="/static/css/app.bundle.0123456789ab") == served  # the server was not asked
    context.set_offline(False)
