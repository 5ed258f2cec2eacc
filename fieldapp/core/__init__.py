"""Home, health, language and the accessibility statement; the migrations of the shared tables
(the audit log and state-change events, written through fieldapp.audit)."""
from fieldapp.area import Area
from fieldapp.core import routes
from fieldapp.core.blueprint import bp
from fieldapp.core.migrations import migrations

area = Area("core", blueprints=(bp,), views=(routes,), migrations=migrations)
