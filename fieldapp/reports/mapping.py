"""The reports map, drawn by folium in one function: the operator's map and the interventions' planning map.

Leaflet and its plugins come from static/vendor (no CDN). The reports layer is filled in the browser from
/reports.geojson by static/js/map.js. folium is imported only when a map is drawn.
"""
import functools

from flask import url_for
from flask_babel import gettext as _

from fieldapp.island import new_map, page_parts
from fieldapp.reports.vocab import AREAS, CATEGORIES, STATUSES


@functools.cache
def _island_class():
    """folium's element that hands its layers to static/js/map.js (folium is imported when a map is drawn)."""
    from folium.elements import JSCSSMixin
    from folium.template import Template

    class Island(JSCSSMixin):
        """Hands folium's layers to static/js/map.js (which loads the reports into the cluster layer)."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            CortileMap.attach({{ this._parent.get_name() }}, {{ this.reports.get_name() }}, {{ this.buildings.get_name() }});
            {% endmacro %}
        """)  # noqa: E501 (a template line: wrapping it would change the rendered script and its CSP hash)

        def __init__(self, reports, buildings, js, css):
            super().__init__()
            self._name = "Island"
            self.reports, self.buildings = reports, buildings
            self.default_js, self.default_css = js, css

    return Island


def build_map(buildings):
    """The reports map as page parts (fieldapp.island): clustered reports, the buildings, the island glue."""
    import folium
    from folium.plugins import MarkerCluster
    from folium.utilities import JsCode

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
                           ("markercluster_default_css",
                            static("vendor/leaflet.markercluster/MarkerCluster.Default.css"))]
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
    _island_class()(reports, layer, js=[("cortile_map", static("js/map.js"))], css=[]).add_to(m)
    return page_parts(m)


def map_labels():
    """Words map.js puts in popups, in the user's language."""
    return {
        "statuses": {k: str(v) for k, v in STATUSES.items()},
        "categories": {k: str(v) for k, v in CATEGORIES.items()},
        "areas": {k: str(v) for k, v in AREAS.items()},
        "reports": _("Reports"), "buildings": _("Buildings"), "open": _("Open the report"),
        "photo": _("Photo of the report"),
        "far": _("Far from the building"), "building": _("Building page"),
        "report_here": _("Report a problem here"),
        "error": _("The reports could not be loaded. Check the connection and try again."),
    }
