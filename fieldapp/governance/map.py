"""The dashboard's map: each building a circle sized by the chosen indicator (there are no quartiere polygons)."""
import math

from fieldapp.island import new_map, page_parts

MAX_RADIUS = 22  # pixels of the largest circle; area, not radius, follows the value


def build(buildings, values, label):
    """The folium map as page parts (head, html, script, script hashes), as fieldapp.maps builds its own."""
    import folium  # when a map is drawn, not when the app starts

    m = new_map("governance", zoom=13, control_scale=True)
    top = max(values.values(), default=0) or 1
    features = []
    for b in buildings:
        value = values.get(b["id"], 0)
        radius = round(3 + (MAX_RADIUS - 3) * math.sqrt(value / top), 1) if value > 0 else 2
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [b["lon"], b["lat"]]},
                         "properties": {"id": b["id"], "label": f"{b['address']}: {label(value)}",
                                        "radius": radius, "filled": value > 0}})
    # One GeoJSON layer (not a folium element per building: each compiles its own template).
    layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        marker=folium.CircleMarker(radius=3, weight=1, color="#17324d", fill=True),
        style_function=lambda f: {"radius": f["properties"]["radius"],
                                  "fillOpacity": 0.6 if f["properties"]["filled"] else 1,
                                  "fillColor": "#0066cc" if f["properties"]["filled"] else "#ffffff"},
        # A tooltip, not a popup: folium's popups need jQuery.
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False))
    layer._id = "buildings"
    layer.add_to(m)
    return page_parts(m)
