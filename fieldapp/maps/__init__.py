"""The operator's map of reports and buildings (folium, with Leaflet served from our origin)."""
