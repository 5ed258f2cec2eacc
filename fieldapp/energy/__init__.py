"""The energy observatory: district-heating consumption per building and flat, against the degree-days."""
from fieldapp.area import Area
from fieldapp.energy import routes
from fieldapp.energy.blueprint import bp

area = Area("energy", blueprints=(bp,), views=(routes,))
