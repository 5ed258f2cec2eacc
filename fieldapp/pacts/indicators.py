"""The pacts area's indicators: numerators over its records, declared in fieldapp/pacts/__init__.py."""
from flask_babel import lazy_gettext as _l

from fieldapp.indicators.measure import tally
from fieldapp.indicators.registry import indicator
from fieldapp.pacts.queries import IN_FORCE, in_force_params
from fieldapp.pacts.vocab import KINDS

_KEYS = {"kind": "p.kind", "quartiere": "p.quartiere_id", "presidio": "p.presidio_code", "building": "p.building_id"}


@indicator("pacts.in_force", _l("Community pacts in force"), service="pacts", tables=("pacts",), additive=False,
           counted=_l("pacts"),
           description=_l("Community pacts signed and in force on at least one day of the period: not revoked, "
                          "not closed before it, not past their end date (a renewal moves the end date)."),
           disaggregations=("kind", "quartiere", "presidio"), records="pacts.pact_list", record_dates=False,
           key_labels={"kind": KINDS})
def pacts_in_force(period, by=None, scope=None):
    return tally("COUNT(*)", "pacts p", IN_FORCE, in_force_params(period.start, period.end), by=by, keys=_KEYS,
                 scope=scope, scope_column="p.presidio_code")


@indicator("pacts.volunteer_hours", _l("Volunteer hours in community pacts"), service="pacts", unit="hours",
           description=_l("Hours given by residents in the pacts' activities, as the community manager recorded "
                          "them."),
           tables=("pacts", "pact_activities"), disaggregations=("kind", "quartiere", "presidio"),
           records="pacts.pact_list", record_dates=False, key_labels={"kind": KINDS})
def pacts_volunteer_hours(period, by=None, scope=None):
    hours = tally("COALESCE(SUM(a.person_hours), 0)", "pact_activities a JOIN pacts p ON p.id = a.pact_id",
                  "a.held_on >= ? AND a.held_on < ?", [period.start.isoformat(), period.end.isoformat()],
                  by=by, keys=_KEYS, scope=scope, scope_column="p.presidio_code")
    return {k: round(v, 1) for k, v in hours.items()}


INDICATORS = (pacts_in_force, pacts_volunteer_hours,)
