"""The interventions area's indicators: numerators over its records, declared in fieldapp/interventions/__init__.py."""
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from fieldapp.db import get_db
from fieldapp.indicators.measure import medians, scope_sql, tally
from fieldapp.indicators.registry import indicator
from fieldapp.interventions.vocab import KINDS

_PLACE = ("quartiere", "presidio", "pilot_area")
# Interventions carried out: done, counted in the period of their scheduled day (as the list filters them).
_DONE = "i.status = 'done' AND i.scheduled_on >= ? AND i.scheduled_on < ?"
_DONE_LINKS = {"records": "interventions.intervention_list", "record_args": (("status", "done"),),
               "record_filters": (("kind", "kind"), ("quartiere", "quartiere")), "key_labels": {"kind": KINDS}}


def _days(period):
    return [period.start.isoformat(), period.end.isoformat()]


@indicator("interventions.done", _l("Interventions carried out"), service="common_areas",
           counted=_l("interventions"),
           description=_l("Interventions of the contracted firms carried out, on their scheduled day; by kind."),
           tables=("interventions",), disaggregations=("kind", *_PLACE), **_DONE_LINKS)
def interventions_done(period, by=None, scope=None):
    return tally("COUNT(*)", "interventions i JOIN buildings b ON b.id = i.building_id", _DONE, _days(period),
                 by=by, keys={"kind": "i.kind"}, scope=scope)


@indicator("interventions.cost", _l("Cost of the interventions carried out"), service="common_areas", unit="eur",
           description=_l("The actual cost the operator entered for each of those interventions."),
           tables=("interventions",), disaggregations=("kind", *_PLACE), **_DONE_LINKS)
def interventions_cost(period, by=None, scope=None):
    cents = tally("COALESCE(SUM(i.actual_cost_cents), 0)", "interventions i JOIN buildings b ON b.id = i.building_id",
                  _DONE, _days(period), by=by, keys={"kind": "i.kind"}, scope=scope)
    # Integer cents to EUR once, at the end, half up.
    return {k: (Decimal(v) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP) for k, v in cents.items()}


_THROUGH = """intervention_reports ir JOIN interventions i ON i.id = ir.intervention_id
    JOIN reports r ON r.uuid = ir.report_uuid JOIN buildings b ON b.id = r.building_id"""


@indicator("reports.resolved_by_intervention", _l("Reports resolved through an intervention"),
           counted=_l("reports"),
           service="common_areas", tables=("reports", "interventions", "intervention_reports"), additive=False,
           disaggregations=_PLACE, **_DONE_LINKS,
           description=_l("Distinct reports linked to an intervention carried out in the period."))
def reports_resolved_by_intervention(period, by=None, scope=None):
    return tally("COUNT(DISTINCT ir.report_uuid)", _THROUGH, _DONE, _days(period), by=by, scope=scope)


@indicator("reports.days_resolved_by_intervention", _l("Median days to resolution, through an intervention"),
           service="common_areas",
           description=_l("Median days from the filing of a report to the intervention that resolved it."),
           unit="days", tables=("reports", "interventions", "intervention_reports"),
           disaggregations=_PLACE, **_DONE_LINKS)
def reports_days_resolved_by_intervention(period, by=None, scope=None):
    extra, extra_params = scope_sql(scope)
    keys = {"quartiere": "b.quartiere_id", "presidio": "b.presidio_code", "pilot_area": "b.pilot_area"}
    if by is not None and by not in keys:
        raise ValueError(f"no disaggregation {by!r} here")
    rows = get_db().execute(
        f"""SELECT {keys[by] if by else 'NULL'}, julianday(min(i.done_at)) - julianday(r.created_at)
            FROM {_THROUGH} WHERE {_DONE}{extra} GROUP BY r.uuid""", [*_days(period), *extra_params]).fetchall()
    return medians(rows, by)


INDICATORS = (interventions_done, interventions_cost, reports_resolved_by_intervention,
              reports_days_resolved_by_intervention,)
