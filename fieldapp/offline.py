"""The pages a user needs in the field, to save on the phone before going where there is no signal.

Each area declares the pages it adds to a role's working set (`OfflinePages`): the registry a tutor's
households and their visit forms, the plans area an educator's plans. Never a record the user may not
see. Pages are named by their stable URLs (see DESIGN.md) and offered only when the app has them and
the role may open them.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from werkzeug.exceptions import HTTPException

# Pages for every role that may open them, after the areas' own.
COMMON_PAGES = ("/reports/new", "/meetings/new", "/agenda", "/outbox", "/offline")
EXTENSION_KEY = "cortile.offline_pages"


@dataclass(frozen=True)
class OfflinePages:
    """`urls(user)`: the pages of the user's work that `role` keeps on the phone, most needed first."""

    role: str
    urls: Callable


def install(app, pages):
    found = app.extensions.setdefault(EXTENSION_KEY, [])
    found.extend(pages)


def urls_for(user):
    """The URLs to save for `user`: the areas' pages for the role (households first), then the common ones."""
    urls = []
    for pages in current_app.extensions.get(EXTENSION_KEY, ()):
        if pages.role == user.role:
            urls += pages.urls(user)
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
