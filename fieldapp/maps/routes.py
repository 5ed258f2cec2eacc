"""The map: an island built by folium in one function; the page around it stays plain HTML.

Leaflet and its plugins come from static/vendor (no CDN). folium writes inline scripts, so the map
page carries its own Content-Security-Policy listing their sha256; styles folium would inline are in
static/css/reports.css instead. The reports layer is filled in the browser from /reports.geojson by
static/js/map.js, which refetches it when the filter form (htmx) reports new filters.
"""
import folium
from flask import Blueprint, current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from folium.template import Template
from folium.utilities import JsCode

from fieldapp.access import allow
from fieldapp.maps.island import new_map, page_parts
from fieldapp.registry import queries as registry
from fieldapp.render import htmx
from fieldapp.reports import filters, queries
from fieldapp.reports.routes import FILERS
from fieldapp.reports.vocab import AREAS, CATEGORIES, STATUSES
from fieldapp.security import content_security_policy

bp = Blueprint("maps", __name__)



class Island(JSCSSMixin):
    """Hands folium's layers to static/js/map.js (which loads the reports into the cluster layer)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        CortileMap.attach({{ this._parent.get_name() }}, {{ this.reports.get_name() }}, {{ this.buildings.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, reports, buildings, js, css):
        super().__init__()
        self._name = "Island"
        self.reports, self.buildings = reports, buildings
        self.default_js, self.default_css = js, css


def build_map(buildings):
    """The reports map as page parts (fieldapp.maps.island): clustered reports, the buildings, the island glue."""
    def static(filename):
        return url_for("static", filename=filename)

    # The wheel scrolls the page, not the map (map.js zooms on ctrl+wheel); the scale is metric, added by map.js
    # because folium's control_scale has no options and would show miles and feet too.
    m = new_map("cortile", control_scale=False, scroll_wheel_zoom=False, prefer_canvas=True)
    # Markers join the clusters in slices of ~15 ms (not Leaflet.markercluster's 200 ms): a phone four
    # times slower than this machine still answers a tap between two slices.
    reports = MarkerCluster(options={
        "chunkedLoading": True, "chunkInterval": 15, "chunkDelay": 20, "showCoverageOnHover": False,
        "maxClusterRadius": 60}, show=False)  # map.js adds it once the view is set: no clustering twice
    reports._id = "reports"
    reports.default_js = [("markercluster_js", static("vendor/leaflet.markercluster/leaflet.markercluster.js"))]
    reports.default_css = [("markercluster_css", static("vendor/leaflet.markercluster/MarkerCluster.css")),
                           ("markercluster_default_css", static("vendor/leaflet.markercluster/MarkerCluster.Default.css"))]
    reports.add_to(m)
    layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [b["lon"], b["lat"]]},
             "properties": {"id": b["id"], "address": b["address"], "code": b["code"]}} for b in buildings]},
        marker=folium.CircleMarker(radius=6, weight=2, color="#17324d", fill_color="#ffffff",
                                                        fill_opacity=1),
        on_each_feature=JsCode("CortileMap.building"), show=False)  # map.js adds it, in a task of its own
    layer._id = "buildings"
    layer.add_to(m)
    # No folium.LayerControl: it declares a global `let`, which breaks when htmx restores the page
    # from history and runs the script again; map.js adds the same Leaflet control. reports.css is
    # in the app's one stylesheet bundle already.
    Island(reports, layer, js=[("cortile_map", static("js/map.js"))], css=[]).add_to(m)
    return page_parts(m)


def labels():
    """Words map.js puts in popups, in the user's language."""
    return {
        "statuses": {k: str(v) for k, v in STATUSES.items()},
        "categories": {k: str(v) for k, v in CATEGORIES.items()},
        "areas": {k: str(v) for k, v in AREAS.items()},
        "reports": _("Reports"), "buildings": _("Buildings"), "open": _("Open the report"), "photo": _("Photo of the report"),
        "far": _("Far from the building"), "building": _("Building page"),
        "report_here": _("Report a problem here"),
        "error": _("The reports could not be loaded. Check the connection and try again."),
    }


@bp.get("/map")
@allow(*FILERS)
def map_page():
    chosen = filters.from_args(request.args)
    counts = queries.count_by_status(chosen, filters.scope())
    if htmx.boosted:
        # The map's scripts need the CSP of their own document: load the page for real.
        response = make_response("", 200)
        response.headers["HX-Redirect"] = request.full_path.rstrip("?")
        return response
    if htmx and not htmx.history_restore_request:
        # The filters changed: new counts here, and an event for map.js to refetch the layer.
        response = make_response(render_template("maps/_summary.html", counts=counts, statuses=STATUSES))
        response.headers["HX-Trigger"] = "reports-filtered"
        response.vary.add("HX-Request")
        return response
    island = build_map(registry.all_buildings())
    response = make_response(render_template(
        "maps/map.html", island=island, counts=counts,
        geojson_url=url_for("reports.geojson", **request.args.to_dict(flat=False)), labels=labels(), values=filters.form_values(request.args),
        statuses=STATUSES, categories=CATEGORIES, quartieri=registry.quartieri(), presidi=registry.presidi()))
    response.vary.add("HX-Request")
    response.headers["Content-Security-Policy"] = content_security_policy(current_app, island["hashes"])
    return response
