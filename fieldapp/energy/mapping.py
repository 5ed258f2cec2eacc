"""The buildings layer coloured by normalised consumption, as a folium island with local Leaflet (no CDN)."""
from fieldapp.island import new_map, page_parts


def build_map(buildings, label):
    """Page parts of the map: head links, the map element, its script and the script hashes for the CSP."""
    import folium  # when a map is drawn, not when the app starts

    m = new_map("energy", zoom=14, control_scale=True)
    for b in buildings:
        marker = folium.CircleMarker(
            location=(b["lat"], b["lon"]), radius=11, weight=2, color="#17324d", fill=True,
            fill_color=b["colour"], fill_opacity=0.9, tooltip=f"{b['code']}: {label(b)}")
        marker._id = f"b{b['code'].replace('-', '_')}"
        marker.add_to(m)
    return page_parts(m)
