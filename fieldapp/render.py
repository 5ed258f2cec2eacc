"""One URL, page or fragment: htmx gets the partial, everyone else the whole page."""
from flask import make_response, render_template
from flask_htmx import HTMX

htmx = HTMX()


def render(template, fragment=None, status=200, **context):
    """Render `template`, or `fragment` for a (non-boosted) htmx request; Vary on HX-Request."""
    partial = fragment and htmx and not htmx.boosted
    response = make_response(render_template(fragment if partial else template, **context), status)
    response.vary.add("HX-Request")
    return response
