"""Period close pages (coordinator): the months, a month's completeness check, lock and reopen, changes after close."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp.access import ROLE_LABELS, allow
from fieldapp.clock import local_today
from fieldapp.db import get_db
from fieldapp.governance import closing
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


@bp.get(f"{PREFIX}/close/")
@allow(*COORDINATOR)
def close_index():
    db = get_db()
    locks = {r["period_key"]: r for r in db.query("SELECT * FROM locked_periods")}
    return render("governance/close_index.html", months=_months(), locks=locks)


def _page(key, status=200, error=None, reason=""):
    db = get_db()
    try:
        period = closing.month(key)
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
                  role_labels=ROLE_LABELS)


@bp.get(f"{PREFIX}/close/<key>")
@allow(*COORDINATOR)
def close_month(key):
    return _page(key)


@bp.post(f"{PREFIX}/close/<key>/lock")
@allow(*COORDINATOR)
def lock(key):
    try:
        period = closing.month(key)
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
        period = closing.month(key)
        closing.reopen(get_db(), period, current_user, reason)
    except closing.CloseError as refusal:
        return _page(key, status=422, error=str(refusal), reason=reason[:500])
    flash(_("%(period)s reopened.", period=period.key), "success")
    return redirect(url_for("governance.close_month", key=period.key), 303)
