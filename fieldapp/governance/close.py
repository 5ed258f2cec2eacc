"""Period close pages (coordinator): months, quarters and project years; a month's completeness check, lock and
reopen, changes after close; the report to the Region for any period."""
from datetime import timedelta

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp.access import ROLE_LABELS, allow
from fieldapp.clock import local_today
from fieldapp.db import get_db
from fieldapp.governance import closing, words
from fieldapp.governance.blueprint import bp
from fieldapp.indicators import periods
from fieldapp.indicators.registry import indicators
from fieldapp.render import render

# The dashboard owns the blueprint: mount under /governance whether or not it gave bp a prefix.
PREFIX = "" if bp.url_prefix else "/governance"
COORDINATOR = ("coordinator",)
MONTHS_SHOWN = 13


def _months():
    """The current month and the twelve before it, newest first."""
    today = local_today()
    year, month, out = today.year, today.month, []
    for _step in range(MONTHS_SHOWN):
        out.append(periods.parse(f"{year}-{month:02d}"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


def _begun(kind):
    """The quarters or project years of the project begun by today, newest first."""
    today, out = local_today(), []
    found = periods.project_years() if kind == "project_year" else periods.months_of(periods.span(
        periods.project_start(), periods.project_end() + timedelta(days=1)))
    for period in found:
        if kind == "quarter":
            period = periods.of_day("quarter", period.start)
        if period.start <= today and period not in out:
            out.append(period)
    return out[::-1]


def report_choices():
    """Every period a report can be made for, grouped: [(label, [(key, name)])]."""
    seasons = [s for s in periods.calendar_seasons() if s.start <= local_today()][::-1]
    groups = ((_("Whole project"), [periods.project()]), (_("Project years"), _begun("project_year")),
              (_("Heating seasons"), seasons), (_("Quarters"), _begun("quarter")),
              (_("Months"), [m for m in _months() if periods.within_project(m)]))
    return [(label, [(p.key, words.period_name(p)) for p in group]) for label, group in groups if group]


@bp.get(f"{PREFIX}/close/")
@allow(*COORDINATOR)
def close_index():
    db = get_db()
    locks = {r["period_key"]: r for r in db.query("SELECT * FROM locked_periods")}
    return render("governance/close_index.html", months=[m for m in _months() if periods.within_project(m)],
                  quarters=_begun("quarter"), years=_begun("project_year"), locks=locks, choices=report_choices(),
                  names=words.period_name)


def _page(key, status=200, error=None, reason=""):
    db = get_db()
    try:
        period = closing.closable(key)
    except closing.CloseError as refusal:
        return render("governance/close_unknown.html", message=str(refusal), status=404)
    lock = closing.lock_of(db, period.key)
    found = closing.check(db, period)
    changes = None
    if lock:
        try:
            changes = closing.changes_after_close(db, period, lock)
        except closing.CloseError as refusal:
            error, status = error or str(refusal), 422
            changes = {"figures": [], "records": [], "failed": True}
    return render("governance/close_month.html", status=status, period=period, lock=lock, check=found,
                  changes=changes, events=closing.events(db, period.key), error=error, reason=reason,
                  names={code: i.name for code, i in indicators().items()}, future=local_today() < period.start,
                  role_labels=ROLE_LABELS, name=words.period_name(period),
                  months=[(m, closing.lock_of(db, m.key)) for m in periods.months_of(period)]
                  if period.kind != "month" else [])


@bp.get(f"{PREFIX}/close/<key>")
@allow(*COORDINATOR)
def close_month(key):
    return _page(key)


@bp.post(f"{PREFIX}/close/<key>/lock")
@allow(*COORDINATOR)
def lock(key):
    try:
        period = closing.closable(key)
        closing.lock(get_db(), period, current_user, acknowledged=request.form.get("acknowledge") == "yes")
    except closing.CloseError as refusal:
        return _page(key, status=422, error=str(refusal))
    flash(_("%(period)s closed: its figures are frozen.", period=period.key), "success")
    return redirect(url_for("governance.close_month", key=period.key), 303)


@bp.post(f"{PREFIX}/close/<key>/reopen")
@allow(*COORDINATOR)
def reopen(key):
    reason = request.form.get("reason", "")
    try:
        period = closing.closable(key)
        closing.reopen(get_db(), period, current_user, reason)
    except closing.CloseError as refusal:
        return _page(key, status=422, error=str(refusal), reason=reason[:500])
    flash(_("%(period)s reopened.", period=period.key), "success")
    return redirect(url_for("governance.close_month", key=period.key), 303)
