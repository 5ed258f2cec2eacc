"""Sign in and out: users, server-side sessions, remember-me tokens, sign-in throttling."""
from fieldapp.area import Area
from fieldapp.auth import retention, routes, work
from fieldapp.auth.blueprint import bp
from fieldapp.auth.cli import users_cli
from fieldapp.auth.migrations import migrations

area = Area("auth", blueprints=(bp,), views=(routes,), commands=(users_cli,), migrations=migrations,
            retention=retention.RETENTION, handovers=work.HANDOVERS)
