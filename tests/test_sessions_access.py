"""Access samples of the account, session and throttle routes (see test_access.py)."""


def a_user(db):
    return next(db.query("SELECT id FROM users WHERE username = 'tutor.pagliari'"))["id"]


SAMPLES = {
    "auth.account": ("GET", lambda db: "/account", None),
    "auth.sign_out_everywhere": ("POST", lambda db: "/account/sign-out-everywhere", None),
    "admin.user_edit": ("GET", lambda db: f"/admin/users/{a_user(db)}/edit", None),
    "admin.user_sign_out": ("POST", lambda db: f"/admin/users/{a_user(db)}/sign-out-everywhere", None),
    "admin.throttles": ("GET", lambda db: "/admin/throttles", None),
    "admin.throttle_clear": ("POST", lambda db: "/admin/throttles/clear", None),
}
