"""Sign in and out, with throttling that holds across worker processes."""
from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import format_datetime, gettext as _
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from fieldapp.fields import whole_number
from fieldapp.access import ROLES, allow, public
from fieldapp.auth import queries
from fieldapp.auth.forms import LoginForm
from fieldapp.core.queries import audit
from fieldapp.render import render

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


class User(UserMixin):
    """The signed-in person: a users row plus its presidio's name."""

    def __init__(self, row):
        self.row = row
        self.id = row["id"]
        self.username = row["username"]
        self.display_name = row["display_name"]
        self.role = row["role"]
        self.presidio_code = row["presidio_code"]
        self.presidio_name = row["presidio_name"]

    def get_id(self):
        # The epoch makes every session of this user end when it is bumped.
        return f"{self.id}:{self.row['session_epoch']}"


@login_manager.user_loader
def load_user(token):
    user_id, _sep, epoch = token.partition(":")
    if whole_number(user_id) is None:
        return None
    row = queries.user_by_id(whole_number(user_id))
    if row is None or not row["active"] or str(row["session_epoch"]) != epoch:
        return None
    return User(row)


@login_manager.unauthorized_handler
def unauthorized():
    # Scripts (htmx, the outbox, /sync/) need a status they can act on, not a login page.
    if request.headers.get("HX-Request") or request.headers.get("X-Cortile-Outbox") \
            or request.path.startswith("/sync/"):
        abort(401)
    flash(_("Please sign in to continue."), "info")
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else "/"))


def safe_next(target):
    return target if target and target.startswith("/") and not target.startswith("//") else None


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username = form.username.data.strip()
        config = current_app.config
        until = queries.locked_until(
            username, request.remote_addr,
            config["LOGIN_MAX_FAILURES"], config["LOGIN_WINDOW_MINUTES"], config["LOGIN_LOCKOUT_MINUTES"],
        )
        if until:
            audit("login_locked", target=username)
            form.form_errors.append(_("Too many failed attempts. Try again after %(time)s.",
                                      time=format_datetime(until, "HH:mm")))
            status = 429
        else:
            row = queries.user_for_login(username)
            ok = row is not None and row["active"] and queries.password_matches(row, form.password.data)
            queries.record_login_attempt(username, request.remote_addr, ok)
            if ok:
                user = User(queries.user_by_id(row["id"]))
                session.permanent = True
                login_user(user, remember=form.remember.data)
                audit("login", target=user.username, user=user)
                return redirect(safe_next(request.args.get("next")) or url_for("core.home"))
            audit("login_failed", target=username)
            # One message for every failure: it never says whether the username exists.
            form.form_errors.append(_("Wrong username or password."))
            status = 401
    elif request.method == "POST":
        status = 400
    return render("auth/login.html", form=form, status=status)


@bp.post("/logout")
@allow(*ROLES)
def logout():
    audit("logout", target=current_user.username)
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    response = redirect(url_for("auth.login"))
    # Drop what this browser cached for the signed-in user (pages, storage).
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@bp.record_once
def setup(state):
    login_manager.init_app(state.app)
    login_manager.session_protection = "basic"
