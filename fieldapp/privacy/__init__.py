"""Privacy: the retention policy run over every area's steps, a household's access request and erasure,
and the offline expiry stamp on every page."""
from fieldapp.area import Area
from fieldapp.privacy import retention, routes
from fieldapp.privacy.blueprint import bp
from fieldapp.privacy.cli import households_cli, retention_cli
from fieldapp.privacy.migrations import migrations

area = Area("privacy", blueprints=(bp,), views=(routes,), commands=(retention_cli, households_cli),
            migrations=migrations, retention=(retention.AUDIT_RETENTION,))
