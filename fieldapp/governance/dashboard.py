"""The programme dashboard's figures: tiles, a breakdown with the year before, and drill-down links."""
from datetime import date, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _

from fieldapp.governance import closing
from fieldapp.governance.labels import figure, period_label
from fieldapp.indicators import periods, registry
from fieldapp.registry import api as places


def synced(db):
    """Refresh the `indicators` table once per process and database (cheap, idempotent)."""
    done = current_app.extensions.setdefault("governance.synced", set())
    if current_app.config["DATABASE"] not in done:
        registry.sync(db)
        done.add(current_app.config["DATABASE"])


def period_choices(today):
    """The periods a coordinator can pick, latest first, grouped by kind: [(kind label, [(key, label)])]."""
    months, month = [], date(today.year, today.month, 1)
    for _step in range(24):
        months.append(periods.of_day("month", month))
        month = (month - timedelta(days=1)).replace(day=1)
    quarters, quarter = [], periods.of_day("quarter", today)
    while len(quarters) < 8:
        quarters.append(quarter)
        quarter = periods.of_day("quarter", quarter.start - timedelta(days=1))
    seasons, season = [], periods.of_day("season", today)
    while len(seasons) < 4:
        seasons.append(season)
        season = periods.of_day("season", season.start - timedelta(days=1))
    years, year = [], periods.of_day("project_year", today)
    while True:
        years.append(year)
        if year.key == "PY1":
            break
        year = year.year_before()
    return [(label, [(p.key, period_label(p)) for p in group]) for label, group in (
        (_("Months"), months), (_("Quarters"), quarters), (_("Heating seasons"), seasons), (_("Project years"), years),
        (_("Whole project"), [periods.project()]))]


def year_before(period):
    try:
        return period.year_before()
    except periods.PeriodError:
        return None


def formatted(value, unit):
    """A figure as the reader sees it on screen: '–' when there is none, € for money."""
    return figure(value, unit, money="€", missing="–")


def records_url(ind, period, scope_code=None, by=None, key=None):
    """The list of records behind a figure, filtered like the figure; None when no page lists them."""
    if not ind.records or ind.records not in current_app.view_functions:
        return None
    args = dict(ind.record_args(period) if callable(ind.record_args) else ind.record_args)
    if ind.record_dates:
        args.update({"from": period.start.isoformat(), "to": (period.end - timedelta(days=1)).isoformat()})
    filters = dict(ind.record_filters)
    if scope_code and "presidio" in filters:
        args[filters["presidio"]] = scope_code
    if by is not None:
        if by not in filters:
            return None
        args[filters[by]] = key
    return url_for(ind.records, **args)


def key_labels(ind, by):
    """{key: label} for a disaggregation's keys."""
    if by == "quartiere":
        return {str(q["id"]): q["name"] for q in places.quartieri()}
    if by == "presidio":
        return {p["code"]: p["name"] for p in places.presidi()}
    if by == "pilot_area":
        return {k: str(v) for k, v in places.PILOT_AREAS.items()}
    if by == "building":
        return {str(b["id"]): b["address"] for b in places.all_buildings()}
    return {k: str(v) for k, v in ((ind.key_labels or {}).get(by) or {}).items()}


def tiles(db, period, before, scope, scope_code):
    """Every indicator that has its tables and suits the period: its figure, the year before, its link."""
    out = []
    for ind in registry.available(db):
        if period.kind not in ind.period_types:
            continue
        now = ind.value(period, scope=scope).get(None)
        then = ind.value(before, scope=scope).get(None) if before else None
        out.append({"indicator": ind, "value": formatted(now, ind.unit), "before": formatted(then, ind.unit),
                    "raw": now, "raw_before": then, "url": records_url(ind, period, scope_code),
                    "service": registry.SERVICE_LABELS.get(ind.service, ind.service)})
    return out


def mark_changed_after_close(db, period, tiles, scope_code):
    """A closed month's tiles whose figure moved since the close get `at_close` (the frozen figure, formatted).

    The close froze each total and each presidio's figure (fieldapp.governance.closing); with a presidio
    chosen the tile is compared with that presidio's, when the indicator splits by presidio. Returns the
    lock row, or None for a period that is not closed.
    """
    lock = closing.lock_of(db, period.key)
    if lock is None:
        return None
    frozen = closing.snapshot_figures(db, lock["snapshot_id"])
    for tile in tiles:
        code = tile["indicator"].code
        if scope_code is None:
            key = (code, "", "")
        elif "presidio" in tile["indicator"].disaggregations:
            key = (code, "presidio", scope_code)
        else:
            continue
        if key not in frozen:  # not computed at the close (a presidio with no records, a newer indicator)
            continue
        at_close = frozen[key]
        now = None if tile["raw"] is None else float(tile["raw"])
        if at_close != now:
            tile["at_close"] = formatted(at_close, tile["indicator"].unit)
    return lock


def breakdown(ind, by, period, before, scope, scope_code):
    """Rows (label, now, before, link) of one indicator split by `by`, largest first, and the scale."""
    now = ind.value(period, by=by, scope=scope)
    then = ind.value(before, by=by, scope=scope) if before else {}
    labels = key_labels(ind, by)
    # A group with no records is 0 for a count or a sum, but has no median or share.
    empty = None if ind.unit in ("percent", "days") else 0
    keys = [k for k in {*now, *then} if k is not None]
    keys.sort(key=lambda k: (-(float(now.get(k) or 0)), labels.get(k, k)))
    top = max([float(v or 0) for k, v in [*now.items(), *then.items()] if k is not None] or [0]) or 1
    rows = [{"key": k, "label": labels.get(k, k) if k != "" else _("None"),
             "now": formatted(now.get(k, empty), ind.unit),
             "before": formatted(then.get(k, empty), ind.unit) if before else "–",
             "now_share": float(now.get(k) or 0) / top, "before_share": float(then.get(k) or 0) / top,
             "url": records_url(ind, period, scope_code, by, k)} for k in keys]
    return rows


def building_values(ind, period, scope):
    """{building id: value} for the map, or None when the indicator cannot place its records on buildings."""
    if "quartiere" not in ind.disaggregations:
        return None
    try:
        values = ind.value(period, by="building", scope=scope)
    except ValueError:
        return None
    return {int(k): float(v) for k, v in values.items() if k not in (None, "") and v}
