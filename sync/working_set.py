"""The pages a user needs in the field, to save on the phone before going where there is no signal.

A tutor's working set is their presidio: its households list, each household page and its visit
form, plus the forms and the agenda they use. Never a record of another presidio. Pages are named by
their stable URLs (see DESIGN.md) and offered only when the app has them and the role may open them.
"""
import math

from flask import current_app, url_for
from werkzeug.exceptions import HTTPException

from fieldapp.registry import queries as registry

# Pages for every role that may open them, in the order they are saved.
COMMON_PAGES = ("/reports/new", "/meetings/new", "/agenda", "/outbox", "/offline")
MAX_HOUSEHOLDS = 2000
# Pages other areas add to a role's working set, registered at import: role -> [urls(user) -> [url]].
AREA_PAGES = {}


def register(role, urls):
    """Let an area add `urls(user)` to the working set of `role` (e.g. an educator's plans)."""
    AREA_PAGES.setdefault(role, []).append(urls)


def urls_for(user):
    """The URLs to save for `user`, households first (their pages matter most in a cellar)."""
    urls = []
    if user.role == "tutor" and user.presidio_code:
        households = registry.search_households(presidio_code=user.presidio_code, limit=MAX_HOUSEHOLDS)
        pages = max(1, math.ceil(len(households) / current_app.config["PAGE_SIZE"]))
        urls.append(url_for("registry.household_list"))
        urls += [url_for("registry.household_list", page=n) for n in range(2, pages + 1)]
        for household in households:
            urls.append(url_for("registry.household_detail", household_id=household["id"]))
            urls.append(f"/households/{household['id']}/visits/new")
    for area_urls in AREA_PAGES.get(user.role, []):
        urls += area_urls(user)
    urls += COMMON_PAGES
    return [url for url in urls if may_open(user, url)]


def may_open(user, url):
    """Whether the app serves `url` by GET and the user's role is among those its view allows."""
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(url.split("?")[0], method="GET")
    except HTTPException:
        return False
    access = getattr(current_app.view_functions[endpoint], "access", None)
    return access == "public" or (access is not None and user.role in access)
