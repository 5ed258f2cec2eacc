"""The visits area's indicators: numerators over its records, declared in fieldapp/visits/__init__.py."""
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from fieldapp.clock import local_today, local_zone
from fieldapp.db import get_db
from fieldapp.indicators.measure import tally
from fieldapp.indicators.registry import SERVICE_LABELS, indicator
from fieldapp.visits.vocab import KINDS

_TO_BUILDING = "JOIN households h ON h.id = {0}.household_id JOIN units u ON u.id = h.unit_id " \
               "JOIN buildings b ON b.id = u.building_id"
_DISAGGREGATIONS = ("quartiere", "presidio", "pilot_area")


def _reached_sources(period, tables):
    """(sql, params) of every contact with a household in the period, one row per (household, service)."""
    parts = [("SELECT household_id, 'tutoring' AS service FROM visits WHERE visited_at >= ? AND visited_at < ?",
              [period.local_since, period.local_until])]
    day_range = [period.start.isoformat(), period.end.isoformat()]
    if "arrears_contacts" in tables:
        parts.append(("SELECT household_id, 'arrears' FROM arrears_contacts "
                      "WHERE contacted_on >= ? AND contacted_on < ?", day_range))
    if {"plan_sessions", "plans", "plan_persons"} <= tables:
        parts.append(("""SELECT pp.household_id, 'plans' FROM plan_sessions s JOIN plans p ON p.id = s.plan_id
                         JOIN plan_persons pp ON pp.id = p.person_id
                         WHERE pp.household_id IS NOT NULL AND s.held_on >= ? AND s.held_on < ?""", day_range))
    return " UNION ALL ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


@indicator("households.reached", _l("Households reached"), service="tutoring", additive=False,
           counted=_l("households"),
           tables=("visits",), disaggregations=("service", *_DISAGGREGATIONS),
           records="registry.household_list", record_filters=(("presidio", "presidio"),), record_dates=False,
           key_labels={"service": SERVICE_LABELS},
           description=_l("Distinct households met by a visit, an arrears contact or a plan session."))
def households_reached(period, by=None, scope=None):
    sql, params = _reached_sources(period, set(get_db().table_names()))
    # One row per household and service before the joins: tens of thousands of contacts become hundreds.
    return tally("COUNT(DISTINCT r.household_id)", f"(SELECT DISTINCT household_id, service FROM ({sql})) r "
                 f"{_TO_BUILDING.format('r')}", "1", params,
                 by=by, keys={"service": "r.service"}, scope=scope)


@indicator("visits.by_kind", _l("Home visits"), service="tutoring", key_labels={"kind": KINDS},
           counted=_l("visits"),
           description=_l("Home visits of the tutors, counted on the day of the visit; by kind of visit."),
           tables=("visits",), disaggregations=("kind", *_DISAGGREGATIONS),
           records="registry.household_list", record_filters=(("presidio", "presidio"),), record_dates=False)
def visits_by_kind(period, by=None, scope=None):
    return tally("COUNT(*)", f"visits v {_TO_BUILDING.format('v')}", "v.visited_at >= ? AND v.visited_at < ?",
                 [period.local_since, period.local_until], by=by, keys={"kind": "v.kind"}, scope=scope)


def _followups_due(period):
    """Conditions of the follow-ups due in the period that count: done, or already past their day."""
    return ("f.due_on >= ? AND f.due_on < ? AND f.status <> 'cancelled' AND (f.status = 'done' OR f.due_on < ?)",
            [period.start.isoformat(), period.end.isoformat(), local_today().isoformat()])


def followups_due(period, by=None, scope=None):
    """Denominator of followups.on_time: follow-ups due in the period (done, or already overdue)."""
    where, params = _followups_due(period)
    return tally("COUNT(*)", f"followups f {_TO_BUILDING.format('f')}", where, params, by=by, scope=scope)


@indicator("followups.on_time", _l("Follow-ups done on time"), service="tutoring", unit="percent", factor=100,
           denominator=followups_due, tables=("followups",), disaggregations=_DISAGGREGATIONS,
           records="visits.agenda", record_filters=(("presidio", "presidio"),), record_dates=False,
           description=_l("Share of the follow-ups due in the period that were done by their day."))
def followups_on_time(period, by=None, scope=None):
    # done_at is UTC: "on time" means before the local midnight that ends the due day. The UTC offset of
    # that midnight changes at most twice a year: a CASE over those ranges, not a lookup per row.
    ranges, day = [], period.start
    while day < period.end:
        shift = _local_offset_seconds(day + timedelta(days=1))
        if not ranges or ranges[-1][1] != shift:
            ranges.append([day.isoformat(), shift])
        day += timedelta(days=1)
    case = "CASE " + " ".join("WHEN f.due_on >= ? THEN ?" for _ in ranges) + " END"
    case_params = [value for start, shift in reversed(ranges) for value in (start, f"{-shift} seconds")]
    where, params = _followups_due(period)
    return tally("COUNT(*)", f"followups f {_TO_BUILDING.format('f')}",
                 where + " AND f.status = 'done' "
                 f"AND f.done_at < strftime('%Y-%m-%dT%H:%M:%SZ', f.due_on, '+1 day', {case})",
                 [*params, *case_params], by=by, scope=scope)


def _local_offset_seconds(day):
    """Seconds the local zone is ahead of UTC at the start of `day`."""
    return int(datetime.combine(day, datetime.min.time(), local_zone()).utcoffset().total_seconds())


INDICATORS = (households_reached, visits_by_kind, followups_on_time,)
