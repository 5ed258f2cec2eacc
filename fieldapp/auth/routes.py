"""Sign in and out: server-side sessions, rotating remember-me tokens, throttling shared by every worker."""
import math

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from fieldapp import clock
from fieldapp.access import ROLES, allow, public
from fieldapp.audit import audit
from fieldapp.auth import queries, sessions
from fieldapp.auth.blueprint import bp
from fieldapp.auth.forms import EmailForm, LoginForm
from fieldapp.redirects import next_or
from fieldapp.render import render

login_manager = LoginManager()


# Our own cookie, not Flask-Login's: its remember cookie is a signed user id that lasts 14 days
# whatever happens on the server.
REMEMBER_COOKIE = "cortile_remember"


class User(UserMixin):
    """The signed-in person: a users row plus its presidio's name, and the server-side session."""

    def __init__(self, row, session_token=None):
        self.row = row
        self.id = row["id"]
        self.username = row["username"]
        self.display_name = row["display_name"]
        self.role = row["role"]
        self.presidio_code = row["presidio_code"]
        self.presidio_name = row["presidio_name"]
        self.session_token = session_token

    def get_id(self):
        # Flask-Login keeps this in the signed session cookie: it names a sessions row, which
        # logout, expiry and the administrator can revoke.
        return self.session_token


@login_manager.user_loader
def load_user(token):
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    user_id = sessions.user_for_session(token)
    if user_id is None:
        return None
    return User(queries.user_by_id(user_id), token)


@login_manager.request_loader
def load_user_from_remember_token(request):
    """No open session: a valid remember-me token opens one and is exchanged for its successor."""
    token = request.cookies.get(REMEMBER_COOKIE)
    if not token or len(token) > 100:
        return None
    redeemed = sessions.redeem_remember_token(token)
    if redeemed is None:
        g.remember_cookie = ""
        return None
    user_id, family, successor = redeemed
    if successor:
        g.remember_cookie = successor
    return sign_in(queries.user_by_id(user_id), remember_family=family, fresh=False)


def sign_in(row, remember_family=None, fresh=True):
    """Open a server-side session for the user and put its id in the session cookie."""
    token = sessions.start(row, request.user_agent.string, request.remote_addr, remember_family)
    user = User(row, token)
    session.permanent = True
    login_user(user, fresh=fresh)
    return user


def end_session_cookies():
    """Forget the signed-in user in this browser: session cookie and remember-me cookie."""
    logout_user()
    session.clear()
    g.remember_cookie = ""


@bp.after_app_request
def update_remember_cookie(response):
    value = g.pop("remember_cookie", None)
    config = current_app.config
    if value:
        response.set_cookie(REMEMBER_COOKIE, value, max_age=int(float(config["REMEMBER_DAYS"]) * 86400),
                            secure=config["REMEMBER_COOKIE_SECURE"], httponly=True, samesite="Lax")
    elif value == "":
        response.delete_cookie(REMEMBER_COOKIE, secure=config["REMEMBER_COOKIE_SECURE"], httponly=True,
                               samesite="Lax")
    return response


def throttle_limits():
    config = current_app.config
    return (int(config["LOGIN_MAX_FAILURES"]), int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
            float(config["LOGIN_WINDOW_MINUTES"]), float(config["LOGIN_LOCKOUT_MINUTES"]))


@login_manager.unauthorized_handler
def unauthorized():
    # Scripts (htmx, the outbox, /sync/) need a status they can act on, not a login page.
    if request.headers.get("HX-Request") or request.headers.get("X-Cortile-Outbox") \
            or request.path.startswith("/sync/"):
        abort(401)
    flash(_("Please sign in to continue."), "info")
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else "/"))


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username = form.username.data.strip()
        address = request.remote_addr or "unknown"
        # Checked before the password: a throttled request costs no scrypt and never waits.
        until = queries.throttled_until(username, address, throttle_limits())
        if until:
            audit("login_locked", target=username)
            form.form_errors.append(_("Too many failed attempts. Try again after %(time)s.",
                                      time=format_datetime(until, "HH:mm")))
            response = render("auth/login.html", form=form, status=429)
            response.headers["Retry-After"] = str(max(1, math.ceil((until - clock.utc_now()).total_seconds())))
            return response
        row = queries.user_for_login(username)
        # Unknown and deactivated users are checked against a dummy hash: the time tells nothing.
        ok = queries.password_matches(row, form.password.data) and bool(row["active"])
        queries.record_login_attempt(username, address, ok)
        if ok:
            family = None
            if form.remember.data:
                family = sessions.new_token()
                g.remember_cookie = sessions.issue_remember_token(row, family=family)
            elif request.cookies.get(REMEMBER_COOKIE):
                # Someone else's "keep me signed in" on this browser must not outlive this sign-in.
                sessions.end_remember_chain(request.cookies[REMEMBER_COOKIE])
                g.remember_cookie = ""
            user = sign_in(queries.user_by_id(row["id"]), remember_family=family)
            audit("login", target=user.username, user=user)
            return redirect(next_or(request.args.get("next"), url_for("core.home")))
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
    sessions.end(current_user.session_token)
    remembered = request.cookies.get(REMEMBER_COOKIE)
    if remembered:
        sessions.end_remember_chain(remembered)
    end_session_cookies()
    flash(_("You have signed out."), "success")
    response = redirect(url_for("auth.login"))
    # Drop what this browser cached for the signed-in user (pages, storage).
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@bp.get("/account")
@allow(*ROLES)
def account(email_form=None, status=200):
    """The user's own open sessions and the way to end them all; their e-mail address and digest."""
    row = current_user.row
    email_form = email_form or EmailForm(formdata=None, data={"email": row["email"], "digest": bool(row["digest"])})
    return render("auth/account.html", open_sessions=sessions.open_sessions(current_user.id), status=status,
                  this_session=current_user.session_token and sessions.token_hash(current_user.session_token),
                  email_form=email_form)


@bp.post("/account/email")
@allow(*ROLES)
def account_email():
    form = EmailForm()
    if not form.validate():
        return account(form, 422)
    queries.set_email(current_user.id, form.email.data, form.digest.data)
    audit("account_email_changed", target=current_user.username, detail={"digest": bool(form.digest.data)})
    flash(_("E-mail settings saved."), "success")
    return redirect(url_for(".account"), 303)


@bp.post("/account/sign-out-everywhere")
@allow(*ROLES)
def sign_out_everywhere():
    ended = sessions.end_all(current_user.id, "signed_out_everywhere")
    audit("signed_out_everywhere", target=current_user.username, detail={"sessions": ended})
    end_session_cookies()
    flash(_("You have signed out on every device."), "success")
    return redirect(url_for("auth.login"))


@bp.record_once
def setup(state):
    login_manager.init_app(state.app)
    # Flask-Login's own remember cookie is never set here. Renamed, so that one left by an earlier
    # version (a signed user id) is ignored instead of shadowing the remember-me token above.
    state.app.config["REMEMBER_COOKIE_NAME"] = "cortile_unused_flask_login_remember"
    login_manager.session_protection = "basic"
