"""A household's arrears case: ledger, flags, contacts, cause, entitlement check and stage ladder."""
from datetime import date

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp import bounds
from fieldapp.access import allow
from fieldapp.arrears import queries, rules, vocab
from fieldapp.arrears.blueprint import READERS, TEAM, bp, config_settings, household_or_404
from fieldapp.audit import audit
from fieldapp.clock import local_today
from fieldapp.render import render


def form_amount(text, field="amount"):
    """Cents from what a person types (1.234,56 or 1234.56 or 300), within the bound `field`; None when
    empty; a BoundError (ValueError) naming the field and its limit otherwise."""
    return bounds.cents(field, text or "", required=False)


def case_page(household, status=200, errors=None, values=None):
    household_id = household["id"]
    lines = queries.ledger_lines(household_id)
    plans = queries.plans(household_id)
    for plan in plans:
        plan["next_due"] = queries.next_due(plan) if plan["status"] in ("active", "late") else None
    tolerance = current_app.config["ARREARS_TREND_TOLERANCE_CENTS"]
    return render(
        "arrears/case.html", status=status, household=household, case=queries.case(household_id), lines=lines,
        flags=queries.household_flags(household_id), trend=queries.trend_of(household_id, tolerance),
        contacts=queries.contacts(household_id), checks=queries.checks(household_id), plans=plans,
        history=queries.stage_history(household_id), errors=errors or {}, values=values or {},
        today=local_today().isoformat(), settings=config_settings(),
        can_edit=current_user.role in TEAM,
    )


@bp.get("/households/<int:household_id>")
@allow(*READERS)
def case_detail(household_id):
    household = household_or_404(household_id)
    audit("arrears_case_read", target=household["code"])
    return case_page(household)


def local_date(text, errors, key):
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        errors[key] = _("Enter a date as day, month and year.")
        return None
    if day > local_today():
        errors[key] = _("The date cannot be in the future.")
    return day


@bp.post("/households/<int:household_id>/contacts")
@allow(*TEAM)
def contact_add(household_id):
    household = household_or_404(household_id)
    form, errors = request.form, {}
    day = local_date(form.get("contacted_on"), errors, "contacted_on")
    if form.get("channel") not in vocab.CHANNELS:
        errors["channel"] = _("Choose how the household was contacted.")
    if form.get("outcome") not in vocab.OUTCOMES:
        errors["outcome"] = _("Choose the outcome of the contact.")
    cause = form.get("cause") or None
    if cause and cause not in vocab.CAUSES:
        errors["cause"] = _("Choose a cause from the list.")
    note = (form.get("note") or "").strip()
    if len(note) > 500:
        errors["note"] = _("Keep the note within 500 characters.")
    try:
        minutes = bounds.parse("contact_minutes", form.get("duration_minutes"), required=False)
    except bounds.BoundError:
        errors["duration_minutes"] = _("Enter the minutes as a whole number from 1 to 480, or leave them empty.")
    if errors:
        return case_page(household, 422, errors, form)
    queries.add_contact(household_id, {"contacted_on": day.isoformat(), "channel": form["channel"],
                                       "outcome": form["outcome"], "note": note or None, "cause": cause,
                                       "duration_minutes": None if minutes is None else int(minutes)},
                        current_user.id)
    flash(_("Contact recorded."), "success")
    return redirect(url_for("arrears.case_detail", household_id=household_id), 303)


@bp.post("/households/<int:household_id>/checks")
@allow(*TEAM)
def check_add(household_id):
    household = household_or_404(household_id)
    form, errors = request.form, {}
    try:
        isee = bounds.cents("isee", form.get("isee") or "")
    except bounds.BoundError as error:
        errors["isee"] = _("%(problem)s. Enter the ISEE in euros, for example 8.500,00.", problem=error)
    try:
        months = int(bounds.parse("months", form.get("months_assigned") or ""))
    except bounds.BoundError:
        errors["months_assigned"] = _("Enter the months since the flat was assigned, as a whole number.")
    if errors:
        return case_page(household, 422, errors, form)
    config = current_app.config
    result = rules.solidarity(isee, months, {
        "isee_max": config["ARREARS_SOLIDARITY_ISEE_MAX_CENTS"],
        "min_months": config["ARREARS_SOLIDARITY_MIN_MONTHS"],
        "max_year": config["ARREARS_SOLIDARITY_MAX_YEAR_CENTS"]})
    queries.add_check(household_id, isee, months, result, current_user.id)
    if result["eligible"]:
        flash(_("Entitled to the regional solidarity contribution: file the application."), "success")
    else:
        flash(_("Not entitled to the regional solidarity contribution."), "info")
    return redirect(url_for("arrears.case_detail", household_id=household_id), 303)


@bp.post("/households/<int:household_id>/stage")
@allow(*TEAM)
def stage_set(household_id):
    household = household_or_404(household_id)
    stage, cause = request.form.get("stage"), request.form.get("cause") or None
    errors = {}
    if stage not in vocab.STAGES:
        errors["stage"] = _("Choose a stage from the list.")
    if cause and cause not in vocab.CAUSES:
        errors["cause"] = _("Choose a cause from the list.")
    note = (request.form.get("note") or "").strip()[:500] or None
    if errors:
        return case_page(household, 422, errors, request.form)
    db = queries.get_db()
    with db.atomic():
        queries.ensure_case(db, household_id, current_user.id)
        queries.set_stage(db, household_id, stage, current_user.id, note=note)
        if cause:
            db.execute("UPDATE arrears_cases SET cause = ? WHERE household_id = ?", [cause, household_id])
    flash(_("Case updated."), "success")
    return redirect(url_for("arrears.case_detail", household_id=household_id), 303)
