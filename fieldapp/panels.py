"""Sections other areas add to the household and building pages (visits, reports, interventions).

An area registers `(template, load)` for a page; the page's view calls `load(record)` for each
and includes each template with what it returned as `panel`. Templates still never query.
"""
from flask_login import current_user

_PANELS = {"household": [], "building": []}
# Read-only sections inside the visit form (the arrears ledger's view replaces the arrears questions).
_PANELS["visit_form"] = []


def register(page, template, load, roles=None):
    """Add a section to `page`; `load(record)` returns the template's context dict, or None to skip."""
    _PANELS[page].append((template, load, roles))


def for_page(page, record):
    sections = []
    for template, load, roles in _PANELS[page]:
        if roles and current_user.role not in roles:
            continue
        context = load(record)
        if context is not None:
            sections.append((template, context))
    return sections
