"""Case conferences: the agenda from the rules, one decision per case, the minutes as a PDF."""
from datetime import date

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp.access import allow
from fieldapp.arrears import agenda, documents, queries, vocab
from fieldapp.arrears.blueprint import READERS, TEAM, bp
from fieldapp.audit import audit
from fieldapp.clock import local_today
from fieldapp.render import render


def rule_settings():
    config = current_app.config
    return {"balance": config["ARREARS_CONFERENCE_BALANCE_CENTS"],
            "no_contact_days": config["ARREARS_CONFERENCE_NO_CONTACT_DAYS"]}


def conference_or_404(conference_id):
    conference = agenda.conference(conference_id)
    if conference is None:
        abort(404)
    return conference


def households_of(items):
    return {h["id"]: h for h in (queries.household(i) for i in items)}


@bp.get("/conferences")
@allow(*READERS)
def conference_list():
    upcoming = agenda.agenda(local_today(), rule_settings())
    return render("arrears/conferences.html", conferences=agenda.conferences(), upcoming=upcoming,
                  households=households_of(upcoming), settings=rule_settings(), today=local_today().isoformat(),
                  can_edit=current_user.role in TEAM, error=None)


@bp.post("/conferences")
@allow(*TEAM)
def conference_new():
    try:
        held_on = date.fromisoformat(request.form.get("held_on", "").strip())
    except ValueError:
        upcoming = agenda.agenda(local_today(), rule_settings())
        return render("arrears/conferences.html", status=422, conferences=agenda.conferences(), upcoming=upcoming,
                      households=households_of(upcoming), settings=rule_settings(),
                      today=local_today().isoformat(), can_edit=True,
                      error=_("Enter the date of the conference."))
    items = agenda.agenda(local_today(), rule_settings())
    conference_id = agenda.create_conference(held_on.isoformat(), items, current_user.id)
    flash(ngettext("Conference opened with %(num)d case on its agenda.",
                   "Conference opened with %(num)d cases on its agenda.", len(items)), "success")
    return redirect(url_for("arrears.conference_detail", conference_id=conference_id), 303)


@bp.get("/conferences/<int:conference_id>")
@allow(*READERS)
def conference_detail(conference_id, status=200, errors=None, values=None):
    conference = conference_or_404(conference_id)
    audit("arrears_conference_read", target=str(conference_id))
    return render("arrears/conference.html", status=status, conference=conference,
                  items=agenda.items(conference_id), owners=agenda.owners(), errors=errors or {},
                  values=values or {}, can_edit=current_user.role in TEAM)


@bp.post("/conferences/<int:conference_id>/items/<int:item_id>")
@allow(*TEAM)
def decision_set(conference_id, item_id):
    conference = conference_or_404(conference_id)
    item = agenda.item(item_id)
    if item is None or item["conference_id"] != conference_id:
        abort(404)
    form, errors = request.form, {}
    decision = form.get("decision")
    if decision not in vocab.DECISIONS:
        errors["decision"] = _("Choose a decision from the list.")
    owners = {str(o["id"]): o for o in agenda.owners()}
    owner = owners.get(form.get("owner_id", ""))
    if owner is None:
        errors["owner_id"] = _("Choose who owns the decision.")
    try:
        due_on = date.fromisoformat(form.get("due_on", "").strip()).isoformat()
        if not agenda.is_after(due_on, conference["held_on"]):
            errors["due_on"] = _("The due date cannot be before the conference.")
    except ValueError:
        errors["due_on"] = _("Enter the due date.")
    if errors:
        return conference_detail(conference_id, 422, {item_id: errors}, {item_id: form})
    assignee = owner["id"] if owner["role"] == "tutor" else item["tutor_id"]
    agenda.decide(item, decision, owner["id"], due_on, current_user.id, visit_assignee=assignee)
    flash(_("Decision recorded."), "success")
    return redirect(url_for("arrears.conference_detail", conference_id=conference_id) + f"#item-{item_id}", 303)


@bp.get("/conferences/<int:conference_id>/minutes.pdf")
@allow(*READERS)
def conference_minutes(conference_id):
    conference = conference_or_404(conference_id)
    audit("arrears_minutes_pdf", target=str(conference_id))
    with force_locale("it"):
        labels = {"reasons": {k: str(v) for k, v in vocab.AGENDA_REASONS.items()},
                  "decisions": {k: str(v) for k, v in vocab.DECISIONS.items()}}
    body = documents.minutes_pdf(conference, agenda.items(conference_id), labels)
    response = current_app.response_class(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="verbale-conferenza-{conference_id}.pdf"'
    return response
