"""The reports area's indicators: numerators over its records, declared in fieldapp/reports/__init__.py."""
from flask_babel import lazy_gettext as _l

from fieldapp.db import get_db
from fieldapp.indicators.measure import medians, scope_sql, tally
from fieldapp.indicators.registry import indicator
from fieldapp.reports.vocab import CATEGORIES, STATUSES

_PLACE = ("quartiere", "presidio", "pilot_area")
_REPORT_LINKS = {"records": "reports.report_list",
                 "record_filters": (("status", "status"), ("quartiere", "quartiere"), ("presidio", "presidio"))}
# A report counts as resolved directly when it reached 'resolved' with no intervention carried out on it.
_NO_INTERVENTION = """NOT EXISTS (SELECT 1 FROM intervention_reports ir
                                  JOIN interventions i ON i.id = ir.intervention_id
                                  WHERE ir.report_uuid = r.uuid AND i.status = 'done')"""
# When each report first reached 'resolved' (events keep every status change).
_RESOLVED = """reports r JOIN buildings b ON b.id = r.building_id JOIN (
    SELECT entity_id, min(at) AS at FROM events WHERE entity = 'report' AND to_status = 'resolved' GROUP BY entity_id
) e ON e.entity_id = r.uuid"""


@indicator("reports.by_status", _l("Reports filed, by current status"), service="common_areas",
           counted=_l("reports"),
           description=_l("Reports of neglected common areas filed in the period by staff, residents and partner "
                          "apps, by their status today."),
           tables=("reports",), disaggregations=("status", "category", *_PLACE), **_REPORT_LINKS,
           key_labels={"status": STATUSES, "category": CATEGORIES})
def reports_by_status(period, by=None, scope=None):
    return tally("COUNT(*)", "reports r JOIN buildings b ON b.id = r.building_id",
                 "r.created_at >= ? AND r.created_at < ?", [period.utc_since, period.utc_until],
                 by=by, keys={"status": "r.status", "category": "r.category"}, scope=scope)


def _resolved_directly(period, tables):
    no_intervention = _NO_INTERVENTION if {"interventions", "intervention_reports"} <= tables else "1"
    # A report ALER resolved on its own building is ALER's work: counted apart, below.
    return (f"r.status = 'resolved' AND r.aler_resolved_at IS NULL AND {no_intervention} "
            "AND e.at >= ? AND e.at < ?", [period.utc_since, period.utc_until])


@indicator("reports.resolved_directly", _l("Reports marked resolved without an intervention"),
           counted=_l("reports"),
           service="common_areas", tables=("reports", "events"), disaggregations=_PLACE,
           records="reports.report_list", record_args=(("status", "resolved"),), record_dates=False,
           record_filters=(("quartiere", "quartiere"), ("presidio", "presidio")),
           description=_l("Status set to resolved in the period by the office, with no intervention done "
                          "on the report: counted apart from the reports resolved through an intervention."))
def reports_resolved_directly(period, by=None, scope=None):
    where, params = _resolved_directly(period, set(get_db().table_names()))
    return tally("COUNT(*)", _RESOLVED, where, params, by=by, scope=scope)


@indicator("reports.resolved_by_aler", _l("Reports passed to ALER and resolved by ALER"),
           counted=_l("reports"),
           service="common_areas",
           description=_l("Reports on ALER buildings passed to ALER and marked resolved by its office in the "
                          "period."), tables=("reports",), disaggregations=_PLACE,
           records="reports.report_list", record_args=(("status", "resolved"),), record_dates=False,
           record_filters=(("quartiere", "quartiere"), ("presidio", "presidio")))
def reports_resolved_by_aler(period, by=None, scope=None):
    return tally("COUNT(*)", "reports r JOIN buildings b ON b.id = r.building_id",
                 "r.aler_resolved_at >= ? AND r.aler_resolved_at < ?", [period.utc_since, period.utc_until],
                 by=by, scope=scope)


@indicator("reports.days_resolved_directly", _l("Median days to resolution, without an intervention"),
           service="common_areas",
           description=_l("Median days from filing to resolution of the reports resolved in the period without "
                          "an intervention."), unit="days", tables=("reports", "events"), disaggregations=_PLACE,
           records="reports.report_list", record_args=(("status", "resolved"),), record_dates=False,
           record_filters=(("quartiere", "quartiere"), ("presidio", "presidio")))
def reports_days_resolved_directly(period, by=None, scope=None):
    where, params = _resolved_directly(period, set(get_db().table_names()))
    extra, extra_params = scope_sql(scope)
    keys = {"quartiere": "b.quartiere_id", "presidio": "b.presidio_code", "pilot_area": "b.pilot_area"}
    if by is not None and by not in keys:
        raise ValueError(f"no disaggregation {by!r} here")
    group = keys[by] if by else "NULL"
    rows = get_db().execute(
        f"""SELECT {group}, julianday(e.at) - julianday(r.created_at) FROM {_RESOLVED} WHERE {where}{extra}""",
        [*params, *extra_params]).fetchall()
    return medians(rows, by)


INDICATORS = (reports_by_status, reports_resolved_directly, reports_resolved_by_aler, reports_days_resolved_directly,)
