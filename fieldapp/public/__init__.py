"""Residents' reports (/segnala), the Open311 GeoReport v2 API and its keys."""
from fieldapp import errors
from fieldapp.area import Area
from fieldapp.public import retention, routes
from fieldapp.public.blueprint import bp
from fieldapp.public.cli import open311_cli
from fieldapp.public.migrations import migrations

area = Area("public", blueprints=(bp,), views=(routes,), commands=(open311_cli,), migrations=migrations,
            retention=(retention.RETENTION,),
            setup=lambda app: errors.add_formatter(app, "/open311/", routes.open311_error))
