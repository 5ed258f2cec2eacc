"""The outbox protocol's endpoints: a fresh token before a replay, photos one by one, the offline working set."""
from fieldapp.area import Area
from sync import routes
from sync.blueprint import bp
from sync.openapi import OPENAPI

area = Area("sync", blueprints=(bp,), views=(routes,), openapi=OPENAPI)
