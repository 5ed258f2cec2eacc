"""Targets and costs (coordinator): a target per indicator and project year, typed or imported from a CSV, and
the hourly rate of each role (the notional cost of the staff's hours in the report to the Region)."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from fieldapp import bounds, csvfiles, sheets
from fieldapp.access import ROLE_LABELS, allow
from fieldapp.audit import audit
from fieldapp.clock import now
from fieldapp.db import get_db
from fieldapp.governance import target_queries
from fieldapp.governance.blueprint import bp
from fieldapp.governance.close import COORDINATOR, PREFIX
from fieldapp.indicators import periods
from fieldapp.indicators.registry import available
from fieldapp.limits import body_limit
from fieldapp.render import render

RATED_ROLES = ("tutor", "operator", "community", "coordinator", "equipe", "educator")
CSV_NAME = "obiettivi.csv"


def _years():
    return [y.key for y in periods.project_years()]


def _page(status=200, errors=None, values=None):
    db = get_db()
    return render("governance/targets.html", status=status, indicators=available(db), years=periods.project_years(),
                  targets=target_queries.targets(db), rates=target_queries.rates(db), roles=RATED_ROLES,
                  role_labels=ROLE_LABELS, errors=errors or {}, values=values or {})


@bp.get(f"{PREFIX}/targets")
@allow(*COORDINATOR)
def targets():
    return _page()


def _checked(rows):
    """[(code, year, value or None)] from (label, code, year, text); {field: message} for the refused ones."""
    out, errors = [], {}
    for label, code, year, text in rows:
        try:
            value = bounds.parse("target", text, required=False)
        except bounds.BoundError as refusal:
            errors[label] = refusal.problem
            continue
        out.append((code, year, None if value is None else float(value)))
    return out, errors


@bp.post(f"{PREFIX}/targets")
@allow(*COORDINATOR)
def targets_save():
    db = get_db()
    typed = [(f"target-{i.code}-{year}", i.code, year, request.form.get(f"target-{i.code}-{year}", ""))
             for i in available(db) for year in _years()]
    rows, errors = _checked(typed)
    if errors:
        return _page(422, errors, request.form)
    target_queries.set_targets(db, rows, current_user.id, now())
    audit("targets_set", target="targets", detail={"set": sum(1 for r in rows if r[2] is not None)})
    flash(_("Targets saved."), "success")
    return redirect(url_for("governance.targets"), 303)


@bp.post(f"{PREFIX}/targets/import")
@allow(*COORDINATOR)
@body_limit(csvfiles.UPLOAD_LIMIT)
def targets_import():
    db = get_db()
    upload = request.files.get("file")
    known, years = {i.code for i in available(db)}, _years()
    try:
        text = csvfiles.decode(upload.read(csvfiles.MAX_FILE + 1) if upload else b"")
        found = csvfiles.read_rows(text, ["codice"], optional=["indicatore", *[y.lower() for y in years]])
    except csvfiles.FileRefused as refusal:
        return _page(422, {"file": "; ".join(f"{n}: {reason}" for n, reason in refusal.errors)})
    typed, errors = [], {}
    for line, row in found:
        if row["codice"] not in known:
            errors[f"row-{line}"] = _("Row %(n)s: no indicator with code %(code)s.", n=line, code=row["codice"][:40])
            continue
        typed += [(f"row-{line}", row["codice"], year, row.get(year.lower(), "")) for year in years
                  if row.get(year.lower(), "").strip()]
    rows, refused = _checked(typed)
    errors.update({label: _("Row %(n)s: %(reason)s", n=label[4:], reason=reason) for label, reason in refused.items()})
    if errors:
        return _page(422, {"file": " ".join(errors.values())})
    target_queries.set_targets(db, rows, current_user.id, now())
    audit("targets_imported", target="targets", detail={"rows": len(rows)})
    flash(ngettext("%(num)d target imported.", "%(num)d targets imported.", len(rows)), "success")
    return redirect(url_for("governance.targets"), 303)


@bp.get(f"{PREFIX}/targets.csv")
@allow(*COORDINATOR)
def targets_csv():
    """The targets as the import reads them: a row per indicator, a column per project year (Italian Excel)."""
    db = get_db()
    found, years = target_queries.targets(db), _years()
    lines = [["codice", "indicatore", *years]]
    for i in available(db):
        values = [f"{found[i.code][y]:g}".replace(".", ",") if y in found.get(i.code, {}) else "" for y in years]
        lines.append([i.code, str(i.name), *values])
    return sheets.download(sheets.csv_bytes(lines), "csv", CSV_NAME.removesuffix(".csv"))


@bp.post(f"{PREFIX}/rates")
@allow(*COORDINATOR)
def rates_save():
    rows, errors = {}, {}
    for role in RATED_ROLES:
        try:
            rows[role] = bounds.cents("hourly_rate", request.form.get(f"rate-{role}", ""), required=False)
        except bounds.BoundError as refusal:
            errors[f"rate-{role}"] = refusal.problem
    if errors:
        return _page(422, errors, request.form)
    target_queries.set_rates(get_db(), rows, current_user.id, now())
    audit("rates_set", target="staff_rates", detail={k: v for k, v in rows.items() if v is not None})
    flash(_("Hourly rates saved."), "success")
    return redirect(url_for("governance.targets") + "#rates", 303)
