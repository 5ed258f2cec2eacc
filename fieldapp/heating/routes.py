"""Heating contributions: seasons, settings, compute, review and approval, "why this amount", cases to check."""
import json

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from fieldapp import bounds
from fieldapp.access import allow
from fieldapp.audit import audit, history
from fieldapp.clock import local_today
from fieldapp.db import now
from fieldapp.fields import whole_number
from fieldapp.heating import acts, queries, workflow
from fieldapp.heating import ledger_queries as ledger
from fieldapp.heating.blueprint import EQUIPE, READERS, bp, contribution_or_404, season_or_404
from fieldapp.heating.compute import ComputeError, compute, day_share, evaluate, share
from fieldapp.heating.vocab import ACTIONS, RULES
from fieldapp.render import render

# Statuses whose amount counts as computed (a rejected contribution computes nothing).
COUNTED = ("computed", "reviewed", "approved", "in_determina", "credited")


@bp.get("/")
@allow(*READERS)
def index():
    seasons = queries.seasons()
    latest = {s["code"]: queries.latest_version(s["code"]) for s in seasons}
    counts = {code: queries.status_counts(v["id"]) if v else {} for code, v in latest.items()}
    paid = ledger.totals("l.amount_cents", "1 = 1", [], by="season")
    return render("heating/index.html", seasons=seasons, latest=latest, counts=counts, paid=paid)


def season_page(season, status=200, errors=None, rule_error=None, values=None):
    code = season["code"]
    version = queries.latest_version(code)
    rows = queries.contributions(version["id"]) if version else []
    paid = acts.paid_before(code)
    for row in rows:
        row["paid_before_cents"] = paid.get((row["household_code"], row["unit_id"]), 0)
        computed = ((row["amount_cents"] or 0) if row["status"] in COUNTED
                    else 0 if row["status"] == "rejected" else None)
        row["difference_cents"] = None if computed is None else computed - row["paid_before_cents"]
    ready = acts.differences(code, version["id"]) if version else []
    readings = queries.readings(code)
    recoveries = [e for e in ledger.entries(code) if e["kind"] == "recovery"]
    for entry in recoveries:  # the later payments to the same household it could be offset against
        open_ = entry["recovery_state"] == "to_recover"
        later = ledger.entries(household_code=entry["household_code"]) if open_ else []
        entry["payments"] = [e for e in later if e["kind"] == "payment" and e["id"] > entry["id"]]
    return render(
        "heating/season.html", status=status, season=season, version=version, rows=rows,
        versions=queries.versions(code), seasons=queries.seasons(), errors=errors or [],
        bills=queries.bills(code), readings=readings, rule_error=rule_error,
        estimated=[r for r in readings if r["estimated"]], length=queries.season_length(season),
        counts=queries.status_counts(version["id"]) if version else {}, open_act=ledger.open_act(code),
        ready=ready, acts=ledger.acts(code), recoveries=recoveries, today=local_today().isoformat(),
        paid_households=sorted({k[0] for k, v in paid.items() if v > 0}), values=values or {},
    )


@bp.get("/seasons/<code>")
@allow(*READERS)
def season_detail(code):
    return season_page(season_or_404(code))


@bp.post("/seasons/<code>/settings")
@allow(*EQUIPE)
def season_settings(code):
    season = season_or_404(code)
    form, errors, values = request.form, [], {}
    rule = form.get("rule", season["rule"])
    if rule not in RULES:
        errors.append(_("Choose rule A or rule B."))
    values["rule"] = rule
    reference = form.get("reference_season", season["reference_season"]) or None
    if reference and (reference == code or queries.season(reference) is None
                      or queries.season(reference)["starts_on"] >= season["starts_on"]):
        errors.append(_("The reference season must be an earlier season."))
    values["reference_season"] = reference if not season["baseline"] else None
    # A field left out keeps its value; an empty one clears it.
    try:
        if "degree_days" in form:
            number = bounds.parse("degree_days", form["degree_days"], required=False)
            values["degree_days"] = None if number is None else bounds.text(number)
    except bounds.BoundError as error:
        errors.append(str(error))
    try:
        if "isee_ceiling" in form:
            values["isee_ceiling_cents"] = bounds.cents("isee", form["isee_ceiling"], required=False) or None
    except bounds.BoundError as error:
        errors.append(str(error))
    if errors:
        return season_page(season, 422, errors)
    queries.update_season(code, **values)
    audit("heating_season_settings", target=code, detail={k: v for k, v in values.items()})
    flash(_("Season settings saved."), "success")
    return redirect(url_for("heating.season_detail", code=code), 303)


@bp.post("/seasons/<code>/compute")
@allow(*EQUIPE)
def season_compute(code):
    season = season_or_404(code)
    rule = request.form.get("rule") or None
    try:
        number, counts = compute(code, rule if rule in RULES else None, user_id=current_user.id)
    except ComputeError as error:
        return season_page(season, 422, rule_error=str(error))
    audit("heating_compute", target=code, detail={"version": number, "counts": counts})
    flash(_("Version %(n)s computed.", n=number), "success")
    return redirect(url_for("heating.season_detail", code=code), 303)


@bp.post("/seasons/<code>/move")
@allow(*READERS)
def season_move(code):
    season = season_or_404(code)
    action = request.form.get("action")
    if action not in workflow.ACTIONS:
        abort(400)
    if current_user.role not in workflow.ACTIONS[action][2]:
        abort(403)
    ids = [n for n in map(whole_number, request.form.getlist("ids")) if n is not None]
    try:
        moved = workflow.move(code, action, ids)
    except workflow.WorkflowError as error:
        return season_page(season, 422, [str(error)])
    flash(ngettext("%(num)d household moved: %(step)s.", "%(num)d households moved: %(step)s.", moved,
                   step=ACTIONS[action]), "success")
    return redirect(url_for("heating.season_detail", code=code), 303)


@bp.get("/contributions/<int:contribution_id>")
@allow(*READERS)
def why(contribution_id):
    row = contribution_or_404(contribution_id)
    audit("heating_contribution_read", target=row["household_code"], detail={"contribution": row["id"]})
    return why_page(row)


def why_page(row, status=200, error=None):
    """The formula with this household's numbers, recomputed from the stored inputs alone."""
    inputs = json.loads(row["inputs"])
    parts = {}
    for key in ("current", "previous"):
        flat = inputs[key]
        if flat and flat["bill"]:
            cost, fixed, voluntary = share(flat)
            parts[key] = {"cost": cost, "fixed": fixed, "voluntary": voluntary, "day_share": day_share(flat)}
    result = evaluate(inputs) if "current" in parts else {}
    entries = [e for e in ledger.entries(row["season"], row["household_code"]) if e["unit_id"] == row["unit_id"]]
    return render("heating/why.html", status=status, row=row, inputs=inputs, result=result, parts=parts,
                  error=error, history=history("heating_contribution", row["id"]), entries=entries,
                  settlements=queries.settlement_history(row["season"], row["household_code"], row["unit_id"]),
                  latest=queries.latest_version(row["season"]), season=queries.season(row["season"]))


@bp.post("/contributions/<int:contribution_id>/reject")
@allow(*READERS)
def reject(contribution_id):
    row = contribution_or_404(contribution_id)
    reason = request.form.get("reason", "").strip()[:300]
    try:
        if not reason:
            raise workflow.WorkflowError(_("Give the reason for rejecting."))
        workflow.reject(row, reason)
    except workflow.WorkflowError as error:
        return why_page(row, 422, str(error))
    flash(_("Contribution rejected."), "success")
    return redirect(url_for("heating.why", contribution_id=row["id"]), 303)


@bp.post("/contributions/<int:contribution_id>/settle")
@allow(*EQUIPE)
def settle(contribution_id):
    row = contribution_or_404(contribution_id)
    decision = request.form.get("decision", "")
    note = " ".join(request.form.get("note", "").split())
    try:
        workflow.settle(row, decision, note, current_user)
    except workflow.WorkflowError as error:
        return why_page(row, 422, str(error))
    flash(_("Decision recorded: it applies to this version and carries over to later ones."), "success")
    return redirect(url_for("heating.why", contribution_id=row["id"]), 303)


@bp.route("/households/<code>", methods=["GET", "POST"])
@allow(*READERS)
def household(code):
    if code not in queries.household_codes():
        abort(404)
    errors, status = [], 200
    if request.method == "POST":
        if current_user.role != "equipe":
            abort(403)
        season = queries.season(request.form.get("season", ""))
        values = {}
        for name, field in (("isee", "isee"), ("solidarity", "amount")):
            try:
                values[name] = bounds.cents(field, request.form.get(name, ""), required=False)
            except bounds.BoundError as error:
                errors.append(str(error) if name == "isee" else
                              _("Solidarity already paid for heating: %(problem)s", problem=error.problem))
        if season is None:
            errors.append(_("Choose a season."))
        if not errors:
            queries.save_household_data(code, season["code"], values["isee"], values["solidarity"] or 0, now())
            audit("heating_household_data", target=code, detail={"season": season["code"]})
            flash(_("Saved."), "success")
            return redirect(url_for("heating.household", code=code), 303)
        status = 422
    audit("heating_household_read", target=code)
    return render("heating/household.html", status=status, code=code, errors=errors,
                  data=queries.household_data_of(code), seasons=queries.seasons(),
                  rows=queries.household_contributions(code), entries=ledger.entries(household_code=code))


def household_panel(household):
    """The tutor's and coordinator's view on the household page: state and season, never amounts."""
    states = queries.household_status(household["code"])
    return {"states": states} if states else None
