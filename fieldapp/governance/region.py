"""The report to the Region for any period: its content, from a closed period's snapshot or (provisional) live.

Every figure comes for its period and as a running total since the project's start, next to its target.
The XLSX workbook and the PDF summary (fieldapp.governance.region_xlsx, region_pdf) only lay it out.
"""
import json
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from fieldapp.governance import closing, compose, linea2
from fieldapp.governance.words import item_labels, moment
from fieldapp.indicators import periods
from fieldapp.indicators.registry import indicators


@dataclass
class Report:
    period: object
    lock: dict  # the locked_periods row, None for a period not closed
    values: dict  # {(code, by, key): value} of the period
    to_date: dict  # the same, from the project's start to the period's end
    activity: list  # [{month, role, service, records, minutes, estimated_minutes}] of the period
    activity_to_date: list  # the same since the project's start
    indicators: list  # [{code, name, service, unit, counted, additive, description, tables, key_labels}]
    settings: dict  # targets, rates, heating_rules, seasons (Linea 2 per season)
    labels: dict  # {disaggregation: {key: name}} of the places

    @property
    def provisional(self):
        return self.lock is None

    @property
    def totals(self):
        return {c: v for (c, b, k), v in self.values.items() if b == ""}

    @property
    def totals_to_date(self):
        return {c: v for (c, b, k), v in self.to_date.items() if b == ""}

    def seasons(self):
        return linea2.frozen(self.settings.get("seasons"))


def _metas(codes):
    known = [i for i in indicators().values() if i.code in codes]
    out = [{"code": i.code, "name": str(i.name), "service": i.service, "unit": i.unit, "counted": i.counted,
            "additive": i.additive, "description": str(i.description or ""), "tables": i.tables,
            "key_labels": i.key_labels or {}, "disaggregations": i.disaggregations} for i in known]
    # An indicator frozen in a snapshot but no longer registered keeps its figures, without its code.
    out += [{"code": c, "name": _("An indicator no longer in use"), "service": "", "unit": "count", "counted": None,
             "additive": False, "description": "", "tables": (), "key_labels": {}, "disaggregations": ()}
            for c in sorted(codes - {i.code for i in known})]
    return out


def _in(period, month):
    return period.start <= date.fromisoformat(f"{month}-01") < period.end


def build(db, period):
    """The report's content: a closed period's snapshot as it was, an open one's figures now."""
    lock = closing.lock_of(db, period.key) if period.kind in periods.CLOSABLE else None
    if lock:
        snapshot = lock["snapshot_id"]
        values = closing.snapshot_figures(db, snapshot)
        to_date = closing.snapshot_figures(db, snapshot, "snapshot_to_date")
        rows = compose.frozen_activity(db, snapshot)
        stored = {r["name"]: json.loads(r["value"]) for r in db.query(
            "SELECT name, value FROM snapshot_settings WHERE snapshot_id = ?", [snapshot])}
        # A close from before running totals were kept has none: its settings are today's.
        settings = stored or closing.settings(db, period)
        activity, activity_to_date = [r for r in rows if _in(period, r["month"])], rows
    else:
        span = periods.to_date(period)
        values = compose.values(db, period)
        same = period.kind == "project"
        to_date = values if same else compose.values(db, span)
        activity = compose.activity(db, period)
        activity_to_date = activity if same else compose.activity(db, span)
        settings = closing.settings(db, period)
    codes = {code for code, _by, _key in (*values, *to_date)}
    return Report(period, lock, values, to_date, activity, activity_to_date, _metas(codes), settings,
                  item_labels())


def target(report, meta):
    """(target, achieved, percent, whether the running total is compared) of an indicator; None without one.

    A project year's figure is compared with its year's target; any other figure's running total with the
    targets of the project years begun by the period's end: their sum for a count or a sum, else the last one.
    """
    years = report.settings.get("targets", {}).get(meta["code"]) or {}
    period = report.period
    if period.kind == "project_year":
        goal, achieved, running = years.get(period.key), report.totals.get(meta["code"]), False
    else:
        begun = [y.key for y in periods.project_years() if y.start < period.end]
        goals = [years[key] for key in begun if key in years]
        if not goals:
            return None
        goal = sum(goals) if meta["additive"] else years.get(begun[-1], goals[-1])
        achieved, running = report.totals_to_date.get(meta["code"]), True
    if goal is None:
        return None
    if achieved is None or not goal:
        return goal, achieved, None, running
    share = goal / achieved if meta["unit"] == "days" else achieved / goal  # fewer days is better
    return goal, achieved, round(share * 100, 1) if achieved or meta["unit"] != "days" else None, running


def status(report):
    if report.period.kind in ("season", "project"):
        return _("Computed from the records on the day of this report: a heating season and the project to date "
                 "are not closed (their months and project years are).")
    if report.provisional:
        return _("PROVISIONAL: the period is open, figures may still change")
    return _("Final: figures frozen at the close of %(when)s", when=moment(report.lock["locked_at"]))


def filename(period):
    """The report's file name, without its extension."""
    return f"rendiconto-regione-{period.key}"
