"""Administration: users, their sessions, sign-in throttles and the audit log; never household data."""
from fieldapp.admin import routes
from fieldapp.admin.blueprint import bp
from fieldapp.area import Area

area = Area("admin", blueprints=(bp,), views=(routes,))
