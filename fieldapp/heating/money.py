"""Money views: a determina opened with its number and date, credited into the ledger, recoveries
collected or offset, a recovery after a later check, and the close of a season."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from fieldapp import bounds
from fieldapp.access import allow
from fieldapp.clock import local_today
from fieldapp.fields import iso_day, whole_number
from fieldapp.heating import acts
from fieldapp.heating.blueprint import EQUIPE, bp, season_or_404
from fieldapp.heating.routes import season_page

COORDINATOR = ("coordinator",)


def act_number(name, errors, required=True):
    """An act's number as written on it ("1234/2025"): short printable text."""
    text = " ".join(request.form.get(name, "").split())
    if not text and not required:
        return None
    if not text or len(text) > 40 or not text.isprintable() or text.startswith(("=", "+", "-", "@")):
        errors.append(_("Give the act's number as written on it (up to 40 characters)."))
        return None
    return text


def past_day(name, errors, label, required=True):
    """A date from the form, not in the future, as ISO text."""
    text = request.form.get(name, "")
    if not text and not required:
        return None
    day = iso_day(text)
    if day is None or day > local_today():
        errors.append(_("%(field)s: a date, not in the future.", field=label))
        return None
    return day.isoformat()


@bp.post("/seasons/<code>/acts")
@allow(*EQUIPE)
def act_open(code):
    season = season_or_404(code)
    errors = []
    number = act_number("determina_number", errors, required=False)
    day = past_day("determina_date", errors, _("Date of the determina"), required=False)
    if errors:
        return season_page(season, 422, errors, values=request.form)
    try:
        acts.open_act(code, number, day, current_user)
    except acts.ActError as error:
        return season_page(season, 422, [str(error)], values=request.form)
    flash(_("The approved contributions are in the determina: only the differences from what was paid."), "success")
    return redirect(url_for("heating.season_detail", code=code), 303)


@bp.post("/seasons/<code>/acts/credit")
@allow(*EQUIPE)
def act_credit(code):
    season = season_or_404(code)
    errors = []
    credited_on = past_day("credited_on", errors, _("Credited on"))
    number = act_number("recovery_number", errors, required=False)
    day = past_day("recovery_date", errors, _("Date of the recovery act"), required=False)
    if errors:
        return season_page(season, 422, errors, values=request.form)
    try:
        payments, recoveries = acts.credit(code, credited_on, number, day, current_user)
    except acts.ActError as error:
        return season_page(season, 422, [str(error)], values=request.form)
    flash(ngettext("Credited: %(num)d entry written in the ledger.", "Credited: %(num)d entries written in the ledger.",
                   payments + recoveries), "success")
    return redirect(url_for("heating.season_detail", code=code), 303)


@bp.post("/seasons/<code>/close")
@allow(*COORDINATOR)
def season_close(code):
    season = season_or_404(code)
    try:
        acts.close(code, current_user)
    except acts.ActError as error:
        return season_page(season, 422, [str(error)])
    flash(_("Season closed: no new version and no new payment; recoveries stay possible."), "success")
    return redirect(url_for("heating.season_detail", code=code), 303)


@bp.post("/seasons/<code>/recoveries")
@allow(*EQUIPE)
def recovery_add(code):
    season = season_or_404(code)
    errors = []
    household = request.form.get("household_code", "")[:40]
    try:
        amount = bounds.cents("amount", request.form.get("amount", ""))
        if amount <= 0:
            errors.append(_("Amount: more than 0 EUR."))
    except bounds.BoundError as error:
        errors.append(str(error))
    note = " ".join(request.form.get("note", "").split())
    if not note or len(note) > 300:
        errors.append(_("Write a note of up to 300 characters: what the check found."))
    number = act_number("recovery_number", errors)
    day = past_day("recovery_date", errors, _("Date of the recovery act"))
    if errors:
        return season_page(season, 422, errors, values=request.form)
    try:
        acts.recover(code, household, amount, note, number, day, current_user)
    except acts.ActError as error:
        return season_page(season, 422, [str(error)], values=request.form)
    flash(_("Recovery recorded in the ledger: send the notice that opens the procedure."), "success")
    return redirect(url_for("heating.season_detail", code=code), 303)


@bp.post("/seasons/<code>/recoveries/<int:entry_id>")
@allow(*EQUIPE)
def recovery_settle(code, entry_id):
    season = season_or_404(code)
    errors = []
    state = request.form.get("state", "")
    day = past_day("settled_on", errors, _("Collected on")) if state == "collected" else None
    note = " ".join(request.form.get("note", "").split())[:300]
    if errors:
        return season_page(season, 422, errors)
    try:
        acts.settle_recovery(code, entry_id, state, day, note, whole_number(request.form.get("offset_entry_id", "")),
                             current_user)
    except acts.ActError as error:
        return season_page(season, 422, [str(error)])
    flash(_("Recovery updated."), "success")
    return redirect(url_for("heating.season_detail", code=code) + "#recoveries", 303)
