"""A period's figures and staff activity: live, frozen at a close, or added up from the closed months.

A count or a sum adds up: over a quarter, a project year or the project to date it is the sum of the
closed months' snapshots and of the live figures of the days between them. A share, a median, a distinct
count or a stock does not: it is computed over the whole span (and frozen when the period closes).
A heating season is not made of months: its figures are always computed over the season.
"""
from flask import current_app
from flask_babel import gettext as _

from fieldapp.governance import records
from fieldapp.indicators import periods
from fieldapp.indicators.registry import PERIOD_TYPES, available


class CloseError(Exception):
    """A refusal, with the message the coordinator reads."""


def lock_of(db, key):
    """The locked_periods row of a period, or None when it is open."""
    return next(db.query("SELECT * FROM locked_periods WHERE period_key = ?", [key]), None)


def snapshot_figures(db, snapshot_id, table="snapshot_values"):
    return {(r["indicator_code"], r["by"], r["key"]): r["value"] for r in db.query(
        f"SELECT * FROM {table} WHERE snapshot_id = ?", [snapshot_id])}


def figures(db, period, wanted=None):
    """{(indicator code, by, key): value} of every available indicator (or those `wanted` keeps), computed now:
    totals ('' '') and each disaggregation."""
    out = {}
    for indicator in available(db):
        if period.kind in PERIOD_TYPES and period.kind not in indicator.period_types:
            continue
        if wanted is not None and not wanted(indicator):
            continue
        for by in ("", *indicator.disaggregations):
            try:
                found = indicator.value(period, by=by or None)
            except Exception as error:  # an area's function failed: say which, never freeze half the figures
                current_app.logger.exception("indicator %s failed for %s", indicator.code, period.key)
                raise CloseError(_("The indicator %(code)s could not be computed for %(period)s (%(error)s).",
                                   code=indicator.code, period=period.key, error=type(error).__name__)) from error
            for key, value in found.items():
                if by and key is None:
                    continue  # a disaggregation's own total repeats the indicator's
                out[(indicator.code, by, "" if key is None else str(key))] = None if value is None else float(value)
    return out


def pieces(db, period):
    """(closed months, spans): the closed months wholly inside the period, and the runs of days around them."""
    closed, spans, run = [], [], period.start
    if period.seasons or period.kind in ("month", "span"):
        return [], [period]
    for month in periods.months_of(period):
        lock = lock_of(db, month.key) if period.start <= month.start and month.end <= period.end else None
        if lock is None:
            continue
        if run < month.start:
            spans.append(periods.span(run, month.start))
        closed.append((month, lock))
        run = month.end
    if run < period.end:
        spans.append(periods.span(run, period.end))
    return closed, spans


def values(db, period):
    """The period's figures: added up from closed months where they add up, computed over the span where not."""
    closed, spans = pieces(db, period)
    if not closed:
        return figures(db, period)
    adds = {i.code for i in available(db) if i.additive and "month" in i.period_types}
    out = figures(db, period, lambda i: i.code not in adds)
    parts = [snapshot_figures(db, lock["snapshot_id"]) for _month, lock in closed]
    parts += [figures(db, span, lambda i: i.code in adds) for span in spans]
    for part in parts:
        for (code, by, key), value in part.items():
            if code in adds and value is not None:
                out[(code, by, key)] = round(out.get((code, by, key), 0) + value, 6)
    return out


def activity(db, period):
    """Staff activity per month, role and service over the period: closed months as frozen, the rest now."""
    closed, spans = pieces(db, period)
    rows = [r for s in spans for r in records.staff_activity(db, s)]
    for month, lock in closed:
        rows += frozen_activity(db, lock["snapshot_id"], month.key, month.key)
    return sorted(rows, key=lambda r: (r["month"], r["role"], r["service"]))


def frozen_activity(db, snapshot_id, first_month=None, last_month=None):
    """The staff activity rows a snapshot keeps, optionally only those of the months [first, last]."""
    return [dict(r) for r in db.query(
        "SELECT month, role, service, records, minutes, estimated_minutes FROM snapshot_activity "
        "WHERE snapshot_id = ? AND month >= ? AND month <= ? ORDER BY month, role, service",
        [snapshot_id, first_month or "", last_month or "9999-99"])]


def month_key(day):
    return day.strftime("%Y-%m")
