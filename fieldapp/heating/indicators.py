"""The heating area's indicators (Linea 2): numerators over its records, declared in fieldapp/heating/__init__.py.

A period that stands for heating seasons (a season, or the running total after one) counts those seasons;
any other period counts the seasons that start in it, and money by the day it was credited. Money paid and
recovered is read from the payments ledger (fieldapp/heating/api.py): a recomputation changes what is
computed, never what was paid.
"""
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from fieldapp.db import get_db
from fieldapp.heating import api
from fieldapp.indicators.measure import key, tally
from fieldapp.indicators.registry import indicator

# The latest version of each season: older versions are history.
_LATEST = ("c.version_id = (SELECT v.id FROM heating_versions v WHERE v.season = c.season "
           "ORDER BY v.version DESC LIMIT 1)")
_APPROVED = f"c.status IN ('approved', 'in_determina', 'credited') AND {_LATEST}"
_COMPUTED = f"c.status NOT IN ('to_check', 'rejected') AND {_LATEST}"
_SOURCE = "heating_contributions c JOIN units u ON u.id = c.unit_id JOIN buildings b ON b.id = u.building_id"
_PLACE = ("building", "quartiere", "presidio", "pilot_area")
_META = {"service": "heating", "tables": ("heating_contributions", "heating_versions", "heating_seasons"),
         "disaggregations": _PLACE, "records": "heating.index", "record_dates": False}
_LEDGER = {**_META, "tables": ("heating_ledger", "heating_contributions", "heating_seasons")}
_COLUMNS = {"building": "id", "quartiere": "quartiere_id", "presidio": "presidio_code", "pilot_area": "pilot_area"}


def _seasons(period, column="c.season"):
    """(sql, params): the seasons a period counts."""
    if period.seasons:
        return f"{column} IN ({', '.join('?' * len(period.seasons))})", list(period.seasons)
    return (f"{column} IN (SELECT s.code FROM heating_seasons s WHERE s.starts_on >= ? AND s.starts_on < ?)",
            [period.start.isoformat(), period.end.isoformat()])


def _euros(cents):
    return {k: (Decimal(v) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP) for k, v in cents.items()}


def _per_place(cents, by, scope):
    """{None: total, key: cents} from {building code: cents}, grouped like `by`, within the reader's scope."""
    out = {None: 0}
    for building in get_db().query("SELECT id, code, quartiere_id, presidio_code, pilot_area FROM buildings"):
        value = cents.get(building["code"], 0)
        if not value or (scope is not None and building["presidio_code"] not in scope):
            continue
        out[None] += value
        if by is not None:
            group = key(building[_COLUMNS[by]])
            out[group] = out.get(group, 0) + value
    return out


def _money(period, by_season, between):
    """{building code: cents} of the period: for its seasons, or credited within its days."""
    cents = {}
    pieces = [by_season(s, by="building") for s in period.seasons] if period.seasons else [
        between(period.start, period.end, by="building")]
    for piece in pieces:
        for building, value in piece.items():
            if building is not None:
                cents[building] = cents.get(building, 0) + value
    return cents


@indicator("heating.eligible", _l("Households eligible for a heating contribution"), additive=False, **_META,
           counted=_l("households"),
           description=_l("Households with a reading of their flat in the season, flagged as eligible in the "
                          "registry and, when the season has an ISEE ceiling, with an ISEE under it; a household "
                          "counts once however many seasons."))
def heating_eligible(period, by=None, scope=None):
    where, params = _seasons(period, "r.season")
    return tally("COUNT(DISTINCT h.id)",
                 "heating_readings r JOIN households h ON h.code = r.household_code "
                 "JOIN buildings b ON b.id = r.building_id JOIN heating_seasons s ON s.code = r.season "
                 "LEFT JOIN heating_household_data d ON d.household_code = r.household_code AND d.season = r.season",
                 f"{where} AND h.heating_eligible = 1 "
                 "AND (s.isee_ceiling_cents IS NULL OR d.isee_cents <= s.isee_ceiling_cents)", params,
                 by=by, scope=scope)


@indicator("heating.computed", _l("Heating contributions computed"), **_META,
           counted=_l("contributions"),
           description=_l("Contributions of the latest computation of each season with an amount (not to check, "
                          "not rejected), one per household and flat."))
def heating_computed(period, by=None, scope=None):
    where, params = _seasons(period)
    return tally("COUNT(*)", _SOURCE, f"{_COMPUTED} AND {where}", params, by=by, scope=scope)


@indicator("heating.computed_eur", _l("Heating contributions computed, EUR"), unit="eur", **_META,
           description=_l("The amounts of those contributions, in euros."))
def heating_computed_eur(period, by=None, scope=None):
    where, params = _seasons(period)
    return _euros(tally("COALESCE(SUM(c.amount_cents), 0)", _SOURCE, f"{_COMPUTED} AND {where}", params,
                        by=by, scope=scope))


@indicator("heating.approved", _l("Heating contributions approved"), **_META,
           counted=_l("contributions"),
           description=_l("Contributions of the latest computation of each season approved by the coordinator "
                          "(then put in a determina and credited)."))
def heating_approved(period, by=None, scope=None):
    where, params = _seasons(period)
    return tally("COUNT(*)", _SOURCE, f"{_APPROVED} AND {where}", params, by=by, scope=scope)


@indicator("heating.approved_eur", _l("Heating contributions approved, EUR"), unit="eur", **_META,
           description=_l("The amounts of the approved contributions, in euros."))
def heating_approved_eur(period, by=None, scope=None):
    where, params = _seasons(period)
    return _euros(tally("COALESCE(SUM(c.amount_cents), 0)", _SOURCE, f"{_APPROVED} AND {where}", params,
                        by=by, scope=scope))


# What the ledger holds per season, household and flat.
_NET = """(SELECT season, household_code, unit_id, SUM(amount_cents) AS net FROM heating_ledger
           GROUP BY season, household_code, unit_id) l JOIN units u ON u.id = l.unit_id
           JOIN buildings b ON b.id = u.building_id"""


@indicator("heating.contributions", _l("Heating contributions paid (households)"), **_LEDGER,
           counted=_l("households"),
           description=_l("Households the ledger holds money paid to for the season, net of recoveries."))
def heating_contributions(period, by=None, scope=None):
    where, params = _seasons(period, "l.season")
    return tally("COUNT(*)", _NET, f"l.net > 0 AND {where}", params, by=by, scope=scope)


@indicator("heating.contributions_eur", _l("Heating contributions paid, EUR (less recoveries)"), unit="eur",
           **_LEDGER,
           description=_l("Money credited to the tenants' rent accounts, from the payments ledger, less what was "
                          "recovered: for a season, what was paid for it; for any other period, what was credited "
                          "in it."))
def heating_contributions_eur(period, by=None, scope=None):
    return _euros(_per_place(_money(period, api.paid_by_season, api.paid_between), by, scope))


@indicator("heating.recovered_eur", _l("Heating contributions recovered, EUR"), unit="eur", **_LEDGER,
           description=_l("Money paid in excess and recovered from tenants, counted like the money paid."))
def heating_recovered_eur(period, by=None, scope=None):
    return _euros(_per_place(_money(period, api.recovered_by_season, api.recovered_between), by, scope))


@indicator("heating.computed_unpaid_eur", _l("Heating contributions computed, not yet paid, EUR"), unit="eur",
           **_LEDGER, description=_l("What each season's latest computation gives beyond what the ledger holds: "
                                     "money still to pay once its act is credited."))
def heating_computed_unpaid_eur(period, by=None, scope=None):
    seasons = period.seasons or [r[0] for r in get_db().execute(
        "SELECT code FROM heating_seasons WHERE starts_on >= ? AND starts_on < ?",
        [period.start.isoformat(), period.end.isoformat()])]
    cents = {}
    for season in seasons:
        for building, value in api.computed_unpaid(season, by="building").items():
            if building is not None:
                cents[building] = cents.get(building, 0) + value
    return _euros(_per_place(cents, by, scope))


INDICATORS = (heating_eligible, heating_computed, heating_computed_eur, heating_approved, heating_approved_eur,
              heating_contributions, heating_contributions_eur, heating_recovered_eur, heating_computed_unpaid_eur)
