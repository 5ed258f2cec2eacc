"""The operator's map of reports and buildings (folium, with Leaflet served from our origin)."""
from fieldapp.area import Area
from fieldapp.maps import routes
from fieldapp.maps.blueprint import bp

area = Area("maps", blueprints=(bp,), views=(routes,))
