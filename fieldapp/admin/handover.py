"""Handing over a leaving person's open work to a successor, in one confirmed step; counts by kind only.

The areas say what open work a user has and how it moves (fieldapp.handover); this page names no table
and shows no household. Deactivating someone with open work leads here first.
"""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp import handover
from fieldapp.access import ROLE_LABELS, allow
from fieldapp.admin.blueprint import bp
from fieldapp.admin.routes import user_or_404
from fieldapp.audit import audit
from fieldapp.auth import api as auth
from fieldapp.db import get_db
from fieldapp.fields import whole_number
from fieldapp.render import render


def successors(user):
    """Who may take the work: active people with the same role (a tutor's follow-ups go to a tutor)."""
    return [u for u in auth.list_users(include_inactive=False) if u["role"] == user["role"] and u["id"] != user["id"]]


def _chosen(user, value):
    wanted = whole_number(value or "")
    return next((u for u in successors(user) if u["id"] == wanted), None)


@bp.get("/users/<int:user_id>/handover")
@allow("admin")
def user_handover(user_id, status=200, error=None):
    user = user_or_404(user_id)
    if user["id"] == current_user.id:
        return redirect(url_for(".user_list"))
    successor = _chosen(user, request.values.get("to"))
    work = handover.open_work(get_db(), user_id, successor and successor["id"])
    return render("admin/handover.html", status=status, user=user, successor=successor, work=work,
                  candidates=successors(user), role_labels=ROLE_LABELS, error=error,
                  deactivate=request.values.get("deactivate") == "1" and bool(user["active"]))


@bp.post("/users/<int:user_id>/handover")
@allow("admin")
def user_handover_confirm(user_id):
    user = user_or_404(user_id)
    if user["id"] == current_user.id:
        abort(400)
    successor = _chosen(user, request.form.get("to"))
    if successor is None:
        return user_handover(user_id, status=422, error=_("Choose who takes the work over."))
    deactivate = request.form.get("deactivate") == "1" and bool(user["active"])
    db = get_db()
    with db.atomic():  # everything moves, the person is deactivated and it is audited, or nothing is
        moved = handover.hand_over(db, user_id, successor["id"])
        if deactivate:
            auth.set_active(user_id, False)
        audit("user_handover", target=user["username"], db=db, detail={
            "to": successor["username"], "moved": {kind: count for kind, _label, count in moved},
            "deactivated": deactivate})
    summary = ", ".join(f"{label}: {count}" for _kind, label, count in moved if count) or _("nothing was open")
    flash(_("Handed over to %(name)s: %(summary)s.", name=successor["username"], summary=summary)
          + (" " + _("%(name)s is deactivated.", name=user["username"]) if deactivate else ""), "success")
    return redirect(url_for(".user_list"), 303)
