"""The dashboard's map: each building a circle sized by the chosen indicator (there are no quartiere polygons)."""
import base64
import hashlib
import math

import folium
from flask import current_app, url_for
from markupsafe import Markup

from fieldapp.maps.routes import CREMONA, DROPPED_FROM_HEAD, INLINE_SCRIPT

MAX_RADIUS = 22  # pixels of the largest circle; area, not radius, follows the value


def build(buildings, values, label):
    """The folium map as page parts (head, html, script, script hashes), as fieldapp.maps builds its own."""
    m = folium.Map(location=CREMONA, zoom_start=13, tiles=None, control_scale=True, max_zoom=19)
    m._id = "governance"  # fixed names: the same inline script (and CSP hash) for the same figures
    m.options["max_zoom"] = 19
    m.default_js = [("leaflet", url_for("static", filename="vendor/leaflet/leaflet.js"))]
    m.default_css = [("leaflet_css", url_for("static", filename="vendor/leaflet/leaflet.css"))]
    if current_app.config["TILE_URL"]:
        tiles = folium.TileLayer(current_app.config["TILE_URL"], attr=current_app.config["TILE_ATTRIBUTION"],
                                 max_zoom=19, control=False)
        tiles._id = "base"
        tiles.add_to(m)
    top = max(values.values(), default=0) or 1
    features = []
    for b in buildings:
        value = values.get(b["id"], 0)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [b["lon"], b["lat"]]},
                         "properties": {"id": b["id"], "label": f"{b['address']}: {label(value)}",
                                        "radius": round(3 + (MAX_RADIUS - 3) * math.sqrt(value / top), 1) if value > 0 else 2,
                                        "filled": value > 0}})
    # One GeoJSON layer (not a folium element per building: each compiles its own template).
    layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        marker=folium.CircleMarker(radius=3, weight=1, color="#17324d", fill=True),
        style_function=lambda f: {"radius": f["properties"]["radius"], "fillOpacity": 0.6 if f["properties"]["filled"] else 1,
                                  "fillColor": "#0066cc" if f["properties"]["filled"] else "#ffffff"},
        # A tooltip, not a popup: folium's popups need jQuery.
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False))
    layer._id = "buildings"
    layer.add_to(m)
    figure = m.get_root()
    figure.render()
    head = DROPPED_FROM_HEAD.sub("", figure.header.render())
    script = figure.script.render()
    hashes = [base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
              for code in [*INLINE_SCRIPT.findall(head), script]]
    return {"head": Markup(head), "html": Markup(figure.html.render()),
            "script": Markup(f"<script>{script}</script>"), "hashes": hashes}
