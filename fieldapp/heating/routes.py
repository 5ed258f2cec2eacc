"""Heating contributions: seasons, imports, compute, "why this amount", the approval workflow."""
import json

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from fieldapp.access import allow
from fieldapp.audit import audit, history
from fieldapp.db import now
from fieldapp.fields import whole_number
from fieldapp.heating import importer, queries, workflow
from fieldapp.heating.blueprint import EQUIPE, READERS, bp, contribution_or_404, season_or_404
from fieldapp.heating.compute import ComputeError, compute, day_share, evaluate, share
from fieldapp.heating.rules import cents
from fieldapp.heating.vocab import ACTIONS, RULES
from fieldapp.render import render

IMPORTS = {
    "bills": (importer.import_bills, "codice_stabile;stagione;mwh;euro_mwh;quota_fissa_euro;quota_volontaria"),
    "readings": (importer.import_readings, "codice_stabile;stagione;scala;interno;millesimi;unita;stimata;"
                                           "giorni_occupazione;codice_nucleo"),
    "household-data": (importer.import_household_data, "codice_nucleo;stagione;isee;solidarieta_riscaldamento"),
}


@bp.get("/")
@allow(*READERS)
def index():
    seasons = queries.seasons()
    latest = {s["code"]: queries.latest_version(s["code"]) for s in seasons}
    counts = {code: queries.status_counts(v["id"]) if v else {} for code, v in latest.items()}
    return render("heating/index.html", seasons=seasons, latest=latest, counts=counts)


def season_page(season, status=200, errors=None, rule_error=None):
    version = queries.latest_version(season["code"])
    rows = queries.contributions(version["id"]) if version else []
    before = queries.previous_amounts(season["code"], version["version"]) if version else {}
    readings = queries.readings(season["code"])
    return render(
        "heating/season.html", status=status, season=season, version=version, rows=rows, before=before,
        versions=queries.versions(season["code"]), seasons=queries.seasons(), errors=errors or [],
        bills=queries.bills(season["code"]), readings=readings, rule_error=rule_error,
        estimated=[r for r in readings if r["estimated"]], length=queries.season_length(season),
        counts=queries.status_counts(version["id"]) if version else {},
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
    for name, label in (("degree_days", _("Degree-days")), ("isee_ceiling", _("ISEE ceiling"))):
        if name not in form:
            continue  # a field left out keeps its value; an empty one clears it
        text = form[name].strip()
        try:
            number = importer.decimal(text) if text else None
        except ValueError:
            number = -1
        if number is not None and number <= 0:
            errors.append(_("%(field)s must be a number above 0, or empty.", field=label))
        elif name == "degree_days":
            values["degree_days"] = str(number.normalize()) if number else None
        else:
            values["isee_ceiling_cents"] = cents(number) if number else None
    if errors:
        return season_page(season, 422, errors)
    queries.update_season(code, **values)
    audit("heating_season_settings", target=code, detail={k: v for k, v in values.items()})
    flash(_("Season settings saved."), "success")
    return redirect(url_for("heating.season_detail", code=code), 303)


@bp.post("/seasons/<code>/temperatures")
@allow(*EQUIPE)
def season_temperatures(code):
    season = season_or_404(code)
    upload = request.files.get("file")
    try:
        total = importer.degree_days_from_temperatures(upload.read() if upload else b"", season)
    except importer.HeatingImportError as error:
        return season_page(season, 422, [_("Degree-days not computed: the temperature file has problems.")]
                           + [f"{n}: {r}" if n else r for n, r in error.errors[:50]])
    queries.update_season(code, degree_days=str(total.normalize()))
    audit("heating_degree_days", target=code, detail={"degree_days": str(total)})
    flash(_("Degree-days computed from the temperatures: %(gg)s.", gg=format(total.normalize(), "f")), "success")
    return redirect(url_for("heating.season_detail", code=code), 303)


@bp.route("/import/<kind>", methods=["GET", "POST"])
@allow(*EQUIPE)
def upload(kind):
    if kind not in IMPORTS:
        abort(404)
    function, header = IMPORTS[kind]
    if request.method == "GET":
        return render("heating/import.html", kind=kind, header=header, errors=None)
    file = request.files.get("file")
    raw = file.read() if file else b""
    try:
        result = function(raw)
    except importer.HeatingImportError as error:
        return render("heating/import.html", status=422, kind=kind, header=header, errors=error.errors[:200],
                      total=len(error.errors))
    audit(f"heating_import_{kind.replace('-', '_')}", target=file.filename, detail={"result": str(result)})
    if kind == "readings":
        flash(_("Imported %(readings)s for %(buildings)s.",
                readings=ngettext("%(num)d reading", "%(num)d readings", result[0]),
                buildings=ngettext("%(num)d building", "%(num)d buildings", result[1])), "success")
    else:
        flash(ngettext("Imported %(num)d row.", "Imported %(num)d rows.", result), "success")
    season = request.form.get("season")
    if season and queries.season(season):
        return redirect(url_for("heating.reconciliation", code=season), 303)
    return redirect(url_for("heating.index"), 303)


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
    return render("heating/why.html", status=status, row=row, inputs=inputs, result=result, parts=parts,
                  error=error, history=history("heating_contribution", row["id"]))


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
        for name in ("isee", "solidarity"):
            text = request.form.get(name, "").strip()
            try:
                values[name] = importer.decimal(text) if text else None
            except ValueError:
                values[name] = -1
            if values[name] is not None and values[name] < 0:
                errors.append(_("Amounts must be numbers of 0 or more."))
        if season is None:
            errors.append(_("Choose a season."))
        if not errors:
            queries.save_household_data(
                code, season["code"], cents(values["isee"]) if values["isee"] is not None else None,
                cents(values["solidarity"] or 0), now())
            audit("heating_household_data", target=code, detail={"season": season["code"]})
            flash(_("Saved."), "success")
            return redirect(url_for("heating.household", code=code), 303)
        status = 422
    audit("heating_household_read", target=code)
    return render("heating/household.html", status=status, code=code, errors=errors,
                  data=queries.household_data_of(code), seasons=queries.seasons(),
                  rows=queries.household_contributions(code))


def household_panel(household):
    """The tutor's and coordinator's view on the household page: state and season, never amounts."""
    states = queries.household_status(household["code"])
    return {"states": states} if states else None
