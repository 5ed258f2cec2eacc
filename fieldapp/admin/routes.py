"""Administration: create, deactivate and reset users; read the audit log."""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp.access import PRESIDIO_ROLES, ROLE_LABELS, allow
from fieldapp.admin.forms import PasswordForm, UserForm
from wtforms.fields.choices import SelectChoice
from fieldapp.auth import queries
from fieldapp.core.queries import audit, recent_audit
from fieldapp.paging import paginate
from fieldapp.registry.queries import presidi
from fieldapp.render import render

bp = Blueprint("admin", __name__, url_prefix="/admin")


def user_or_404(user_id):
    user = queries.user_by_id(user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users/")
@allow("admin")
def user_list():
    return render("admin/users.html", users=queries.list_users(), role_labels=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@allow("admin")
def user_new():
    form = UserForm()
    form.presidio.choices = [SelectChoice("", _("None"))] + [SelectChoice(p["code"], p["name"]) for p in presidi()]
    status = 200
    if form.validate_on_submit():
        if form.role.data in PRESIDIO_ROLES and not form.presidio.data:
            form.presidio.errors.append(_("A tutor belongs to a presidio."))
        elif queries.user_for_login(form.username.data):
            form.username.errors.append(_("This username is taken."))
        else:
            queries.create_user(form.username.data, form.display_name.data, form.role.data,
                                form.password.data, form.presidio.data or None)
            audit("user_created", target=form.username.data, detail={"role": form.role.data})
            flash(_("User %(name)s created.", name=form.username.data), "success")
            return redirect(url_for("admin.user_list"))
        status = 422
    elif form.is_submitted():
        status = 422
    return render("admin/user_form.html", form=form, status=status)


@bp.post("/users/<int:user_id>/active")
@allow("admin")
def user_toggle(user_id):
    user = user_or_404(user_id)
    if user["id"] == current_user.id:
        flash(_("You cannot deactivate yourself."), "danger")
        return redirect(url_for("admin.user_list"))
    queries.set_active(user_id, not user["active"])
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
        queries.set_password(user_id, form.password.data)
        audit("user_password_reset", target=user["username"])
        flash(_("Password of %(name)s reset; their open sessions have ended.", name=user["username"]), "success")
        return redirect(url_for("admin.user_list"))
    return render("admin/password.html", form=form, user=user, status=422 if form.is_submitted() else 200)


@bp.get("/audit")
@allow("admin", "coordinator")
def audit_log():
    page = paginate(lambda limit, offset: recent_audit(limit=limit + 1, offset=offset))
    return render("admin/audit.html", page=page)
