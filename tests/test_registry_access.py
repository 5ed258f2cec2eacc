"""Access samples of the core, auth, registry and admin routes (see test_access.py)."""


def household(db):
    return next(db.query(
        "SELECT h.id FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id "
        "WHERE b.presidio_code = 'P-BLO' LIMIT 1"))["id"]


def building(db):
    return next(db.query("SELECT id FROM buildings WHERE presidio_code = 'P-BLO' LIMIT 1"))["id"]


def a_user(db):
    return next(db.query("SELECT id FROM users WHERE username = 'tutor.pagliari'"))["id"]


SAMPLES = {
    "core.home": ("GET", lambda db: "/", None),
    "core.healthz": ("GET", lambda db: "/healthz", None),
    "core.set_language": ("POST", lambda db: "/lang", None),
    "core.accessibility": ("GET", lambda db: "/accessibilita", None),
    "core.start": ("GET", lambda db: "/start", None),
    "auth.login": ("GET", lambda db: "/login", None),
    "auth.logout": ("POST", lambda db: "/logout", None),
    "registry.household_list": ("GET", lambda db: "/households/", None),
    "registry.household_detail": ("GET", lambda db: f"/households/{household(db)}", "presidio"),
    "registry.building_list": ("GET", lambda db: "/buildings/", None),
    "registry.building_detail": ("GET", lambda db: f"/buildings/{building(db)}", None),
    "admin.user_list": ("GET", lambda db: "/admin/users/", None),
    "admin.user_new": ("GET", lambda db: "/admin/users/new", None),
    "admin.user_toggle": ("POST", lambda db: f"/admin/users/{a_user(db)}/active", None),
    "admin.user_deactivate": ("GET", lambda db: f"/admin/users/{a_user(db)}/deactivate", None),
    "admin.user_password": ("GET", lambda db: f"/admin/users/{a_user(db)}/password", None),
    "admin.audit_log": ("GET", lambda db: "/admin/audit", None),
}
