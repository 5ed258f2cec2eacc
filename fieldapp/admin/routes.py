"""Administration: create, edit, deactivate and reset users, end their sessions; throttles; the audit log."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from fieldapp import audit_view, handover, sheets
from fieldapp.access import PRESIDIO_ROLES, ROLE_LABELS, allow
from fieldapp.admin.blueprint import bp
from fieldapp.admin.forms import PasswordForm, ThrottleClearForm, UserEditForm, UserForm
from fieldapp.audit import audit, recent_audit
from fieldapp.auth import api as auth
from fieldapp.db import get_db
from fieldapp.paging import paginate
from fieldapp.registry.api import presidi
from fieldapp.render import render


def user_or_404(user_id):
    user = auth.user_by_id(user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users/")
@allow("admin")
def user_list():
    return render("admin/users.html", users=auth.list_users(), role_labels=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@allow("admin")
def user_new():
    form = UserForm()
    form.presidio.choices = presidio_choices()
    status = 200
    if form.validate_on_submit():
        if form.role.data in PRESIDIO_ROLES and not form.presidio.data:
            form.presidio.errors.append(_("A tutor belongs to a presidio."))
        elif auth.user_for_login(form.username.data):
            form.username.errors.append(_("This username is taken."))
        else:
            auth.create_user(form.username.data, form.display_name.data, form.role.data,
                             form.password.data, form.presidio.data or None, email=form.email.data)
            audit("user_created", target=form.username.data, detail={"role": form.role.data})
            flash(_("User %(name)s created.", name=form.username.data), "success")
            return redirect(url_for("admin.user_list"))
        status = 422
    elif form.is_submitted():
        status = 422
    return render("admin/user_form.html", form=form, status=status)


def presidio_choices():
    return [SelectChoice("", _("None"))] + [SelectChoice(p["code"], p["name"]) for p in presidi()]


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@allow("admin")
def user_edit(user_id):
    user = user_or_404(user_id)
    form = UserEditForm(data={"display_name": user["display_name"], "role": user["role"],
                              "presidio": user["presidio_code"] or "", "email": user["email"] or ""})
    form.presidio.choices = presidio_choices()
    status = 200
    if form.validate_on_submit():
        role, presidio = form.role.data, form.presidio.data or None
        if role in PRESIDIO_ROLES and not presidio:
            form.presidio.errors.append(_("A tutor belongs to a presidio."))
        elif user["id"] == current_user.id and role != user["role"]:
            form.role.errors.append(_("You cannot change your own role."))
        else:
            ended = auth.update_user(user_id, form.display_name.data.strip(), role, presidio)
            auth.set_email(user_id, form.email.data)
            audit("user_updated", target=user["username"], detail={
                "display_name": form.display_name.data.strip(), "role": role, "presidio": presidio,
                "email_changed": form.email.data != user["email"], "sessions_ended": ended})
            flash(_("User %(name)s updated; their open sessions have ended.", name=user["username"]) if ended
                  else _("User %(name)s updated.", name=user["username"]), "success")
            if ended and user["id"] == current_user.id:
                auth.end_session_cookies()
                return redirect(url_for("auth.login"))
            return redirect(url_for("admin.user_list"))
        status = 422
    elif form.is_submitted():
        status = 422
    return render("admin/user_edit.html", form=form, user=user,
                  open_sessions=auth.open_sessions(user_id), status=status)


@bp.post("/users/<int:user_id>/sign-out-everywhere")
@allow("admin")
def user_sign_out(user_id):
    user = user_or_404(user_id)
    ended = auth.end_all_sessions(user_id, "signed_out_by_admin")
    audit("user_signed_out_everywhere", target=user["username"], detail={"sessions": ended})
    flash(_("%(name)s has been signed out on every device.", name=user["username"]), "success")
    if user["id"] == current_user.id:
        auth.end_session_cookies()
        return redirect(url_for("auth.login"))
    return redirect(url_for("admin.user_list"))


@bp.get("/throttles")
@allow("admin")
def throttles():
    return render("admin/throttles.html", throttles=auth.current_throttles(auth.throttle_limits()))


@bp.post("/throttles/clear")
@allow("admin")
def throttle_clear():
    form = ThrottleClearForm()
    if not form.validate_on_submit():
        abort(400)
    username = form.username.data.strip() or None
    cleared = auth.clear_throttle(username, form.ip.data.strip())
    audit("throttle_cleared", target=username, detail={"ip": form.ip.data, "failures": cleared})
    flash(_("Throttle cleared."), "success")
    return redirect(url_for("admin.throttles"))


def has_open_work(user_id):
    return any(count for *_kind, count in handover.open_work(get_db(), user_id))


@bp.get("/users/<int:user_id>/deactivate")
@allow("admin")
def user_deactivate(user_id):
    """Deactivating someone is asked first, on a page of its own (no script needed)."""
    user = user_or_404(user_id)
    if user["id"] == current_user.id or not user["active"]:
        return redirect(url_for("admin.user_list"))
    if has_open_work(user_id):
        # Open work first goes to a successor: the handover page deactivates in the same step.
        return redirect(url_for("admin.user_handover", user_id=user_id, deactivate=1))
    return render("admin/deactivate.html", user=user)


@bp.post("/users/<int:user_id>/active")
@allow("admin")
def user_toggle(user_id):
    user = user_or_404(user_id)
    if user["id"] == current_user.id:
        flash(_("You cannot deactivate yourself."), "danger")
        return redirect(url_for("admin.user_list"))
    if user["active"] and request.form.get("confirmed") != "1":
        return redirect(url_for("admin.user_deactivate", user_id=user_id), 303)
    if user["active"] and has_open_work(user_id):
        # Work left on a deactivated account would reach nobody: a successor first (admin/handover.py).
        return redirect(url_for("admin.user_handover", user_id=user_id, deactivate=1), 303)
    auth.set_active(user_id, not user["active"])
    audit("user_deactivated" if user["active"] else "user_reactivated", target=user["username"])
    flash(_("User %(name)s deactivated.", name=user["username"]) if user["active"]
          else _("User %(name)s reactivated.", name=user["username"]), "success")
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@allow("admin")
def user_password(user_id):
    user = user_or_404(user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        auth.set_password(user_id, form.password.data)
        audit("user_password_reset", target=user["username"])
        flash(_("Password of %(name)s reset; their open sessions have ended.", name=user["username"]), "success")
        return redirect(url_for("admin.user_list"))
    return render("admin/password.html", form=form, user=user, status=422 if form.is_submitted() else 200)


@bp.get("/audit")
@allow("admin", "coordinator")
def audit_log():
    filters, errors = audit_view.parse_filters(request.args)
    if current_user.role == "admin":
        filters.pop("target", None)  # the administrator looks up people and actions, never a household
    rows = recent_audit if current_user.role != "admin" else (
        lambda **kwargs: audit_view.for_admin(recent_audit(**kwargs)))
    page = paginate(lambda limit, offset: rows(limit=limit + 1, offset=offset, **filters))
    return render("admin/audit.html", page=page, names=audit_view.known_names(), label=audit_view.label,
                  local_time=audit_view.local_time, actions=audit_view.ACTIONS, args=request.args,
                  errors=errors, status=422 if errors else 200)


@bp.get("/audit.csv")
@allow("admin")
def audit_export():
    """The filtered log as CSV for the data-protection officer; the export is itself logged."""
    filters, errors = audit_view.parse_filters(request.args)
    if errors:
        abort(400)
    filters.pop("target", None)
    rows = audit_view.for_admin(recent_audit(limit=None, **filters))
    audit("audit_exported", detail={**filters, "rows": len(rows)})
    return sheets.download(audit_view.to_csv(rows), "csv", "audit")
