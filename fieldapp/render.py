"""One URL, page or fragment: htmx gets the partial, everyone else the whole page."""
from flask import make_response, render_template
from flask_htmx import HTMX

htmx = HTMX()


def render(template, fragment=None, status=200, **context):
    """Render `template`, or `fragment` for an htmx request that swaps part of a page.

    Boosted navigation and history restores (htmx sends HX-Request with both) get the whole page.
    """
    partial = fragment and htmx and not htmx.boosted and not htmx.history_restore_request
    response = make_response(render_template(fragment if partial else template, **context), status)
    response.vary.add("HX-Request")
    return response
