"""How big a request a route takes, decided before anything reads its body.

A route declares its own limit with `@body_limit(...)` (a number of bytes, or a function of the config);
the rest take MAX_CONTENT_LENGTH. The limit is set before CSRF or the text rule parse the form, so a body
over it is cut off unread (413), whichever hook would have read it first.
"""
from flask import current_app, request


def body_limit(limit):
    """Mark a view: its requests may be at most `limit` bytes (or `limit(config)`)."""

    def mark(view):
        view.body_limit = limit
        return view

    return mark


def apply_limit():
    view = current_app.view_functions.get(request.endpoint)
    limit = getattr(view, "body_limit", None)
    if limit is not None:
        request.max_content_length = limit(current_app.config) if callable(limit) else limit


def init_app(app):
    app.before_request(apply_limit)
