"""The heating area's indicators: numerators over its records, declared in fieldapp/heating/__init__.py."""
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from fieldapp.indicators.measure import tally
from fieldapp.indicators.registry import indicator

# The contributions granted in the latest version of each season that starts within the period.
_GRANTED = """c.status IN ('approved', 'in_determina', 'credited')
    AND c.version_id = (SELECT v.id FROM heating_versions v WHERE v.season = c.season ORDER BY v.version DESC LIMIT 1)
    AND c.season IN (SELECT s.code FROM heating_seasons s WHERE s.starts_on >= ? AND s.starts_on < ?)"""
_SOURCE = "heating_contributions c JOIN units u ON u.id = c.unit_id JOIN buildings b ON b.id = u.building_id"
_META = {"service": "heating", "tables": ("heating_contributions", "heating_versions", "heating_seasons"),
         "period_types": ("season", "project_year"), "disaggregations": ("quartiere", "presidio", "pilot_area"),
         "records": "heating.index", "record_dates": False}


def _starts(period):
    return [period.start.isoformat(), period.end.isoformat()]


@indicator("heating.contributions", _l("Heating contributions granted"), **_META)
def heating_contributions(period, by=None, scope=None):
    return tally("COUNT(*)", _SOURCE, _GRANTED, _starts(period), by=by, scope=scope)


@indicator("heating.contributions_eur", _l("Heating contributions granted, EUR"), unit="eur", **_META)
def heating_contributions_eur(period, by=None, scope=None):
    cents = tally("COALESCE(SUM(c.amount_cents), 0)", _SOURCE, _GRANTED, _starts(period), by=by, scope=scope)
    return {k: (Decimal(v) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP) for k, v in cents.items()}


INDICATORS = (heating_contributions, heating_contributions_eur,)
