"""Residents' reports (/segnala), the Open311 GeoReport v2 API and its keys."""
from fieldapp import errors
from fieldapp.area import Area
from fieldapp.public import georeport, retention, routes
from fieldapp.public.blueprint import bp
from fieldapp.public.cli import open311_cli
from fieldapp.public.migrations import migrations
from fieldapp.public.openapi import OPENAPI

area = Area("public", blueprints=(bp,), views=(routes, georeport), commands=(open311_cli,), migrations=migrations,
            retention=(retention.RETENTION,), openapi=OPENAPI,
            setup=lambda app: errors.add_formatter(app, "/open311/", georeport.open311_error))
