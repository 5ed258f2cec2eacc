"""Who may use what: every view declares its roles, and the app refuses to start otherwise."""
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

ROLES = ("tutor", "operator", "community", "coordinator", "equipe", "educator", "aler", "admin")
ROLE_LABELS = {
    "tutor": _l("Condominium tutor"),
    "operator": _l("Common-areas operator"),
    "community": _l("Community manager"),
    "coordinator": _l("Coordinator"),
    "equipe": _l("Arrears team"),
    "educator": _l("Educator (individual plans)"),
    "aler": _l("ALER office"),
    "admin": _l("Administrator"),
}
# Only a tutor must belong to a presidio (a database constraint says so too); the others may.
PRESIDIO_ROLES = ("tutor",)
STAFF = ("tutor", "operator", "community", "coordinator")
PUBLIC = "public"


def allow(*roles):
    """Let signed-in users with one of `roles` use the view; others get 403."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {unknown}")

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            if current_user.role in PRESIDIO_ROLES and not current_user.presidio_code:
                abort(403)  # a tutor without a presidio sees nothing (the database forbids it, too)
            return view(*args, **kwargs)

        wrapped.access = tuple(roles)
        return wrapped

    return decorator


def public(view):
    """Mark a view as open to anyone, signed in or not."""
    view.access = PUBLIC
    return view


def check_every_route_declares_access(app):
    """Fail fast: a view without a declared audience would be a hole in least privilege."""
    undeclared = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "access")
    ]
    if undeclared:
        raise RuntimeError(f"routes without @allow or @public: {sorted(undeclared)}")


def can_see_household(user, presidio_code):
    """Household data: the tutors of its presidio and the coordinators, nobody else."""
    if user.role == "coordinator":
        return True
    return user.role == "tutor" and bool(user.presidio_code) and user.presidio_code == presidio_code
