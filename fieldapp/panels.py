"""Sections areas add to the household and building pages, and to the visit form.

An area declares `Panel(page, template, load, roles)`; the page's view calls `load(record)` for each
and includes each template with what it returned as `panel`. Templates still never query.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_login import current_user

PAGES = ("household", "building", "visit_form")  # visit_form: read-only sections inside the visit form
EXTENSION_KEY = "cortile.panels"


@dataclass(frozen=True)
class Panel:
    """A section of `page`: `load(record)` returns the template's context, or None to leave it out."""

    page: str
    template: str
    load: Callable
    roles: tuple = ()  # who sees it; empty: whoever may open the page

    def __post_init__(self):
        if self.page not in PAGES:
            raise ValueError(f"no page {self.page!r} takes panels")


def install(app, panels):
    found = app.extensions.setdefault(EXTENSION_KEY, [])
    found.extend(panels)


def for_page(page, record):
    """[(template, context)] of the panels of `page` that the signed-in user sees, in declaration order."""
    sections = []
    for panel in current_app.extensions.get(EXTENSION_KEY, ()):
        if panel.page != page or (panel.roles and current_user.role not in panel.roles):
            continue
        context = panel.load(record)
        if context is not None:
            sections.append((panel.template, context))
    return sections
