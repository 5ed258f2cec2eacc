"""Targets and costs (coordinator): a target per indicator and project year, typed or imported from a CSV, and
the hourly rate of each role (the notional cost of the staff's hours in the report to the Region)."""
import re

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp import csvfiles
from fieldapp.access import ROLE_LABELS, allow
from fieldapp.audit import audit
from fieldapp.clock import now
from fieldapp.db import get_db
from fieldapp.governance import target_queries
from fieldapp.governance.blueprint import bp
from fieldapp.governance.close import COORDINATOR, PREFIX
from fieldapp.indicators import periods
from fieldapp.indicators.registry import available
from fieldapp.render import render
from fieldapp.sheets import CSV_MIMETYPE

TARGET_MAX = 1_000_000_000  # a target above this is a typing slip
RATE_MAX_CENTS = 100_000  # 1,000 EUR an hour
RATED_ROLES = ("tutor", "operator", "community", "coordinator", "equipe", "educator")
CSV_NAME = "obiettivi.csv"


class NotANumber(ValueError):
    """Text that is not a number as people type them."""


def number(text):
    """A number typed the Italian way or the English way ("1.234,5", "1234.5", "90"); None when empty."""
    text = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")  # 1.500 is fifteen hundred
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise NotANumber(text)
    return float(text)


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
            value = number(text)
        except NotANumber:
            errors[label] = _("Write a number, for example 1.200 or 85,5.")
            continue
        if value is not None and value > TARGET_MAX:
            errors[label] = _("A target is at most one billion.")
            continue
        out.append((code, year, value))
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
def targets_import():
    db = get_db()
    upload = request.files.get("file")
    known, years = {i.code for i in available(db)}, _years()
    try:
        text = csvfiles.decode(upload.read() if upload else b"")
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
    flash(_("%(n)s targets imported.", n=len(rows)), "success")
    return redirect(url_for("governance.targets"), 303)


@bp.get(f"{PREFIX}/targets.csv")
@allow(*COORDINATOR)
def targets_csv():
    """The targets as the import reads them: a row per indicator, a column per project year (Italian Excel)."""
    db = get_db()
    found, years = target_queries.targets(db), _years()
    lines = [";".join(["codice", "indicatore", *years])]
    for i in available(db):
        values = [f"{found[i.code][y]:g}".replace(".", ",") if y in found.get(i.code, {}) else "" for y in years]
        lines.append(";".join([i.code, str(i.name).replace(";", ","), *values]))
    body = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    return body, 200, {"Content-Type": CSV_MIMETYPE, "Content-Disposition": f'attachment; filename="{CSV_NAME}"'}


@bp.post(f"{PREFIX}/rates")
@allow(*COORDINATOR)
def rates_save():
    rows, errors = {}, {}
    for role in RATED_ROLES:
        try:
            euros = number(request.form.get(f"rate-{role}", ""))
        except NotANumber:
            errors[f"rate-{role}"] = _("Write the euros an hour, for example 28,50.")
            continue
        cents = None if euros is None else round(euros * 100)
        if cents is not None and cents > RATE_MAX_CENTS:
            errors[f"rate-{role}"] = _("An hourly rate is at most 1.000 EUR.")
            continue
        rows[role] = cents
    if errors:
        return _page(422, errors, request.form)
    target_queries.set_rates(get_db(), rows, current_user.id, now())
    audit("rates_set", target="staff_rates", detail={k: v for k, v in rows.items() if v is not None})
    flash(_("Hourly rates saved."), "success")
    return redirect(url_for("governance.targets") + "#rates", 303)
