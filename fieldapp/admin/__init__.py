"""Administration: users, their sessions, sign-in throttles and the audit log; never household data."""
from fieldapp.admin import handover, messages, routes
from fieldapp.admin.blueprint import bp
from fieldapp.area import Area
from fieldapp.messages import retention

area = Area("admin", blueprints=(bp,), views=(routes, messages, handover), retention=(retention.RETENTION,))
