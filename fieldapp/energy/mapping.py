"""The buildings layer coloured by normalised consumption, as a folium island with local Leaflet (no CDN)."""
import base64
import hashlib

import folium
from flask import current_app, url_for
from markupsafe import Markup

from fieldapp.maps.routes import CREMONA, DROPPED_FROM_HEAD, INLINE_SCRIPT


def build_map(buildings, label):
    """Page parts of the map: head links, the map element, its script and the script hashes for the CSP."""
    m = folium.Map(location=CREMONA, zoom_start=14, tiles=None, control_scale=True, max_zoom=19)
    m._id = "energy"  # fixed names keep the script identical between requests (same CSP hash)
    m.options["max_zoom"] = 19
    m.default_js = [("leaflet", url_for("static", filename="vendor/leaflet/leaflet.js"))]
    m.default_css = [("leaflet_css", url_for("static", filename="vendor/leaflet/leaflet.css"))]
    if current_app.config["TILE_URL"]:
        tiles = folium.TileLayer(current_app.config["TILE_URL"], attr=current_app.config["TILE_ATTRIBUTION"],
                                 max_zoom=19, control=False)
        tiles._id = "base"
        tiles.add_to(m)
    for b in buildings:
        marker = folium.CircleMarker(
            location=(b["lat"], b["lon"]), radius=11, weight=2, color="#17324d", fill=True,
            fill_color=b["colour"], fill_opacity=0.9, tooltip=f"{b['code']}: {label(b)}")
        marker._id = f"b{b['code'].replace('-', '_')}"
        marker.add_to(m)
    figure = m.get_root()
    figure.render()
    head = DROPPED_FROM_HEAD.sub("", figure.header.render())
    script = figure.script.render()
    hashes = [base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
              for code in [*INLINE_SCRIPT.findall(head), script]]
    return {"head": Markup(head), "html": Markup(figure.html.render()),
            "script": Markup(f"<script>{script}</script>"), "hashes": hashes}
