"""The arrears area's indicators: numerators over its records, declared in fieldapp/arrears/__init__.py."""
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from fieldapp.arrears.vocab import BANDS, CHANNELS, PLAN_STATUSES
from fieldapp.db import get_db
from fieldapp.indicators.measure import last_day, tally
from fieldapp.indicators.registry import indicator

_LEDGER = "ledger_months l JOIN households h ON h.id = l.household_id JOIN units u ON u.id = h.unit_id " \
          "JOIN buildings b ON b.id = u.building_id"
_PLACE = ("quartiere", "presidio", "pilot_area")


def ledger_month(period):
    """The last ledger month imported within the period (the arrears set is a picture at that month)."""
    return get_db().execute("SELECT max(period) FROM ledger_months WHERE period >= ? AND period <= ?",
                            [period.start.isoformat()[:7], last_day(period).isoformat()[:7]]).fetchone()[0]


def _caseload_args(period):
    month = ledger_month(period)
    return {"period": month} if month else {}


_LINKS = {"records": "arrears.caseload", "record_args": _caseload_args, "record_dates": False,
          "record_filters": (("band", "band"), ("presidio", "presidio")), "key_labels": {"band": BANDS}}


@indicator("arrears.households", _l("Households in arrears (last ledger month)"), service="arrears", additive=False,
           counted=_l("households"),
           description=_l("Households whose rent account is in arrears in the last monthly ledger of the period "
                          "(the Servizio Alloggi's file)."),
           tables=("ledger_months",), disaggregations=("band", *_PLACE), **_LINKS)
def arrears_households(period, by=None, scope=None):
    return tally("COUNT(*)", _LEDGER, "l.period = ? AND l.band <> 'none'", [ledger_month(period)],
                 by=by, keys={"band": "l.band"}, scope=scope)


@indicator("arrears.balance", _l("Arrears owed (last ledger month)"), service="arrears", unit="eur", additive=False,
           description=_l("What the households in arrears owe in the last monthly ledger of the period."),
           tables=("ledger_months",), disaggregations=("band", *_PLACE), **_LINKS)
def arrears_balance(period, by=None, scope=None):
    cents = tally("COALESCE(SUM(l.balance), 0)", _LEDGER, "l.period = ? AND l.balance > 0", [ledger_month(period)],
                  by=by, keys={"band": "l.band"}, scope=scope)
    return {k: (Decimal(v) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP) for k, v in cents.items()}


@indicator("arrears.contacts", _l("Arrears team contacts"), service="arrears", tables=("arrears_contacts",),
           counted=_l("contacts"),
           description=_l("Contacts of the arrears team with households (phone, office, visit, letter), on the "
                          "day of the contact."),
           disaggregations=("channel", *_PLACE), records="arrears.caseload", record_dates=False,
           key_labels={"channel": CHANNELS})
def arrears_contacts(period, by=None, scope=None):
    return tally("COUNT(*)", _LEDGER.replace("ledger_months l", "arrears_contacts l"),
                 "l.contacted_on >= ? AND l.contacted_on < ?", [period.start.isoformat(), period.end.isoformat()],
                 by=by, keys={"channel": "l.channel"}, scope=scope)


@indicator("arrears.repayment_plans", _l("Repayment plans proposed"), service="arrears",
           counted=_l("plans"),
           description=_l("Repayment plans proposed to households, on the day they were recorded; by their "
                          "status today."),
           tables=("repayment_plans",), disaggregations=("status", *_PLACE), records="arrears.caseload",
           record_dates=False, key_labels={"status": PLAN_STATUSES})
def arrears_repayment_plans(period, by=None, scope=None):
    return tally("COUNT(*)", _LEDGER.replace("ledger_months l", "repayment_plans l"),
                 "l.created_at >= ? AND l.created_at < ?", [period.utc_since, period.utc_until],
                 by=by, keys={"status": "l.status"}, scope=scope)


INDICATORS = (arrears_households, arrears_balance, arrears_contacts, arrears_repayment_plans,)
