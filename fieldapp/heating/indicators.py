"""The heating area's indicators, declared in fieldapp/heating/__init__.py.

Money paid and recovered is read from the ledger (`heating_ledger`): a recomputation changes what is
computed, never what was paid. What the latest version computes and the ledger does not hold yet is a
figure of its own ("computed, not yet paid").
"""
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from fieldapp.indicators.measure import tally
from fieldapp.indicators.registry import indicator

# Seasons that start within the period.
_SEASONS = "IN (SELECT s.code FROM heating_seasons s WHERE s.starts_on >= ? AND s.starts_on < ?)"
_PLACE = "JOIN units u ON u.id = l.unit_id JOIN buildings b ON b.id = u.building_id"
_ENTRIES = f"heating_ledger l {_PLACE}"
# What the ledger holds per season, household and flat.
_NET = f"""(SELECT season, household_code, unit_id, SUM(amount_cents) AS net FROM heating_ledger
           GROUP BY season, household_code, unit_id) l {_PLACE}"""
# Each season's latest version, with what the ledger holds of each contribution.
_COMPUTED = """heating_contributions c JOIN units u ON u.id = c.unit_id JOIN buildings b ON b.id = u.building_id
    LEFT JOIN (SELECT season, household_code, unit_id, SUM(amount_cents) AS net FROM heating_ledger
               GROUP BY season, household_code, unit_id) p
           ON p.season = c.season AND p.household_code = c.household_code AND p.unit_id = c.unit_id"""
_LATEST = f"""c.status IN ('computed', 'reviewed', 'approved', 'in_determina', 'credited')
    AND c.version_id = (SELECT v.id FROM heating_versions v WHERE v.season = c.season ORDER BY v.version DESC LIMIT 1)
    AND c.season {_SEASONS}"""
_META = {"service": "heating", "tables": ("heating_ledger", "heating_contributions", "heating_seasons"),
         "period_types": ("season", "project_year"), "disaggregations": ("quartiere", "presidio", "pilot_area"),
         "records": "heating.index", "record_dates": False}


def _starts(period):
    return [period.start.isoformat(), period.end.isoformat()]


def _eur(cents):
    return {k: (Decimal(v) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP) for k, v in cents.items()}


@indicator("heating.contributions", _l("Heating contributions paid (households)"), **_META)
def heating_contributions(period, by=None, scope=None):
    return tally("COUNT(*)", _NET, f"l.net > 0 AND l.season {_SEASONS}", _starts(period), by=by, scope=scope)


@indicator("heating.contributions_eur", _l("Heating contributions paid, EUR (less recoveries)"), unit="eur",
           **_META)
def heating_contributions_eur(period, by=None, scope=None):
    return _eur(tally("COALESCE(SUM(l.amount_cents), 0)", _ENTRIES, f"l.season {_SEASONS}", _starts(period),
                      by=by, scope=scope))


@indicator("heating.recovered_eur", _l("Heating contributions recovered, EUR"), unit="eur", **_META)
def heating_recovered_eur(period, by=None, scope=None):
    return _eur(tally("COALESCE(-SUM(l.amount_cents), 0)", _ENTRIES, f"l.kind = 'recovery' AND l.season {_SEASONS}",
                      _starts(period), by=by, scope=scope))


@indicator("heating.computed_unpaid_eur", _l("Heating contributions computed, not yet paid, EUR"), unit="eur",
           **_META)
def heating_computed_unpaid_eur(period, by=None, scope=None):
    return _eur(tally("COALESCE(SUM(MAX(0, COALESCE(c.amount_cents, 0) - COALESCE(p.net, 0))), 0)", _COMPUTED,
                      _LATEST, _starts(period), by=by, scope=scope))


INDICATORS = (heating_contributions, heating_contributions_eur, heating_recovered_eur, heating_computed_unpaid_eur)
