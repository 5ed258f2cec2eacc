"""The installable app: web manifest, service worker, offline page and the outbox page."""
from fieldapp.area import Area
from fieldapp.pwa import routes
from fieldapp.pwa.blueprint import bp

area = Area("pwa", blueprints=(bp,), views=(routes,))
