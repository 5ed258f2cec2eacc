"""Folium maps as page islands: Leaflet from static/vendor (no CDN), the optional tile layer, page parts.

Every map page (reports, interventions, energy, pacts, the dashboard) starts from `new_map` and ends
with `page_parts`, which renders the figure into what the template places: the head's links, the map
element, its script, and the sha256 of each inline script for the page's own Content-Security-Policy.

Leaflet and its plugins are ~190 KB of script: loaded in the head as folium writes them, they held up
the first paint of the page around the map. Here they are deferred, and the map's own inline script
(which needs them) waits for them: it runs in a task of its own after DOMContentLoaded, which comes after
every deferred script (not in htmx's start-up task: two long tasks are kinder to a slow phone than one
longer); when htmx restores the page from history the document is long loaded and it runs at once.
"""
import base64
import hashlib
import re

from flask import current_app, url_for
from markupsafe import Markup

CREMONA = (45.1365, 10.0245)
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
DROPPED_FROM_HEAD = re.compile(r"<style>.*?</style>|<meta[^>]*>", re.S)  # base.html has them, or CSP forbids
EXTERNAL_SCRIPT = re.compile(r'<script src="([^"]+)"></script>')
AFTER_DEFERRED = ('(function (draw) {{ var soon = function () {{ setTimeout(draw, 0); }}; '
                  'if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", soon); '
                  'else soon(); }})(function () {{{}}});')


def new_map(name, zoom=13, **options):
    """A folium map of Cremona named `name` (fixed names keep the script, and its CSP hash, the same)."""
    import folium  # here, not at the top: most processes draw no map, and folium takes ~0.5 s to import

    # No attribution control without tiles: there is nothing to credit, and it is one more control to draw.
    # With tiles, our own control: Leaflet's default names itself in English ("A JavaScript library for...").
    m = folium.Map(location=CREMONA, zoom_start=zoom, tiles=None, max_zoom=19, attribution_control=False, **options)
    m._id = name
    m.options["max_zoom"] = 19  # without a tile layer folium leaves it out, and markercluster needs it
    m.default_js = [("leaflet", url_for("static", filename="vendor/leaflet/leaflet.js"))]
    m.default_css = [("leaflet_css", url_for("static", filename="vendor/leaflet/leaflet.css"))]
    if current_app.config["TILE_URL"]:
        tiles = folium.TileLayer(current_app.config["TILE_URL"], attr=current_app.config["TILE_ATTRIBUTION"],
                                 max_zoom=19, control=False)
        tiles._id = "base"
        tiles.add_to(m)
        attribution().add_to(m)
    return m


def attribution():
    """Leaflet's attribution control with a plain "Leaflet" credit (its default has an English title)."""
    from branca.element import MacroElement
    from jinja2 import Template

    control = MacroElement()
    control._name = "Attribution"
    control._template = Template("""{% macro script(this, kwargs) %}
        L.control.attribution({prefix: '<a href="https://leafletjs.com">Leaflet</a>'})
            .addTo({{ this._parent.get_name() }});
    {% endmacro %}""")
    return control


def page_parts(m, **extra):
    """{head, html, script, hashes} of the rendered map, plus `extra`; see the module's docstring."""
    figure = m.get_root()
    figure.render()  # the links are gathered into the header while rendering
    head = EXTERNAL_SCRIPT.sub(r'<script src="\1" defer></script>', DROPPED_FROM_HEAD.sub("", figure.header.render()))
    script = AFTER_DEFERRED.format(figure.script.render())
    hashes = [base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
              for code in [*INLINE_SCRIPT.findall(head), script]]
    return {"head": Markup(head), "html": Markup(figure.html.render()),
            "script": Markup(f"<script>{script}</script>"), "hashes": hashes, **extra}
