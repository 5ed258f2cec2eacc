"""The contractors registry: the firms the operator books, and each one's interventions."""
import sqlite3

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp.access import allow
from fieldapp.db import get_db, now
from fieldapp.fields import whole_number
from fieldapp.interventions import queries
from fieldapp.interventions.blueprint import bp
from fieldapp.interventions.forms import ContractorForm, local_today
from fieldapp.render import render

EDITORS = ("operator", "admin")
VIEWERS = ("operator", "admin", "coordinator")


def contractor_or_404(contractor_id):
    contractor = queries.contractor(contractor_id)
    if contractor is None:
        abort(404)
    return contractor


@bp.get("/contractors/")
@allow(*VIEWERS)
def contractor_list():
    return render("interventions/contractors.html", contractors=queries.contractors(),
                  can_edit=current_user.role in EDITORS)


@bp.get("/contractors/<int:contractor_id>")
@allow(*VIEWERS)
def contractor_detail(contractor_id):
    """A contractor and its interventions: overdue and upcoming first, then the past ones."""
    contractor = contractor_or_404(contractor_id)
    rows = queries.search_interventions(limit=200, filters={"contractor_id": contractor_id})[:200]
    return render("interventions/contractor.html", contractor=contractor, interventions=rows,
                  can_edit=current_user.role in EDITORS, today=local_today().isoformat())


def save(form, contractor=None):
    """Store the form; False (with the error on the form) when the name is taken or the record moved on."""
    row = form.row()
    db = get_db()
    taken = queries.contractor_named(row["name"])
    if taken and (contractor is None or taken["id"] != contractor["id"]):
        form.name.errors.append(_("A contractor with this name already exists."))
        return None
    try:
        with db.atomic():
            if contractor is None:
                return queries.insert_contractor({**row, "created_at": now(), "created_by": current_user.id,
                                                  "version": 1}, db=db)
            version = whole_number(str(form.version.data)) or -1
            if not queries.update_contractor(contractor["id"], {**row, "updated_at": now()}, version, db=db):
                form.form_errors.append(_("Someone else changed this contractor meanwhile: "
                                          "reload the page and make your change again."))
                return None
            return contractor["id"]
    except sqlite3.IntegrityError:  # the same name, saved a moment ago by someone else
        form.name.errors.append(_("A contractor with this name already exists."))
        return None


@bp.route("/contractors/new", methods=["GET", "POST"])
@allow(*EDITORS)
def contractor_new():
    form = ContractorForm()
    if form.validate_on_submit():
        contractor_id = save(form)
        if contractor_id:
            flash(_("Contractor %(name)s added.", name=form.name.data), "success")
            return redirect(url_for(".contractor_detail", contractor_id=contractor_id), 303)
    status = 422 if form.is_submitted() else 200
    return render("interventions/contractor_form.html", status=status, form=form, contractor=None)


@bp.route("/contractors/<int:contractor_id>/edit", methods=["GET", "POST"])
@allow(*EDITORS)
def contractor_edit(contractor_id):
    contractor = contractor_or_404(contractor_id)
    form = ContractorForm(data=None if request.method == "POST" else {
        **contractor, "active": bool(contractor["active"]), "version": str(contractor["version"])})
    if form.validate_on_submit():
        if save(form, contractor):
            flash(_("Contractor %(name)s saved.", name=form.name.data), "success")
            return redirect(url_for(".contractor_detail", contractor_id=contractor_id), 303)
    status = 422 if form.is_submitted() else 200
    return render("interventions/contractor_form.html", status=status, form=form, contractor=contractor)
