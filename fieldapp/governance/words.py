"""The report's words: periods, units, disaggregations and their items, records, all named, never coded."""
from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fieldapp.access import ROLE_LABELS
from fieldapp.clock import local_zone
from fieldapp.governance.labels import figure, period_label
from fieldapp.indicators import periods
from fieldapp.indicators.registry import DISAGGREGATIONS, SERVICE_LABELS
from fieldapp.registry import api as places

# The records an indicator counts, by table, as a reader of the report knows them.
RECORDS = {
    "visits": _l("home visits"), "followups": _l("follow-ups of the visits"),
    "arrears_contacts": _l("contacts of the arrears team"), "ledger_months": _l("monthly rent ledger"),
    "repayment_plans": _l("repayment plans"), "heating_contributions": _l("heating contributions"),
    "heating_versions": _l("computations of the contributions"), "heating_seasons": _l("heating seasons"),
    "interventions": _l("interventions of the contracted firms"),
    "intervention_reports": _l("reports linked to an intervention"), "reports": _l("common-area reports"),
    "events": _l("history of each report's status"), "meetings": _l("meetings"), "pacts": _l("community pacts"),
    "pact_activities": _l("activities of the pacts"), "plans": _l("individual plans"),
    "plan_persons": _l("people with a plan"), "plan_goals": _l("goals of the plans"),
    "plan_reviews": _l("reviews of the plans"), "plan_review_scores": _l("scores of each goal at a review"),
    "plan_sessions": _l("sessions of the plans"),
}
UNITS = {"percent": "%", "eur": "EUR", "days": _l("days"), "hours": _l("hours")}


def unit(meta):
    """The unit in words: "households", "%", "EUR", "hours"."""
    if meta["unit"] == "count":
        return str(meta["counted"] or _("number"))
    return str(UNITS.get(meta["unit"], _("number")))


def period_name(period):
    """A period as a sentence names it: "November 2026", "Heating season 2024-25", "Project year 1"."""
    return period_label(period, dates=False)


def day(value):
    return format_date(value, "dd/MM/yyyy")


def local(utc_text):
    """A stored UTC timestamp ("...Z") as a naive local datetime (a spreadsheet has no zones)."""
    moment_ = datetime.fromisoformat(utc_text.replace("Z", "+00:00"))
    return moment_.astimezone(local_zone()).replace(tzinfo=None)


def moment(utc_text):
    """A stored UTC timestamp as local "dd/mm/yyyy hh:mm"."""
    return local(utc_text).strftime("%d/%m/%Y %H:%M")


def span(period):
    """"from 01/11/2026 to 30/11/2026"."""
    return _("from %(start)s to %(end)s", start=day(period.start), end=day(period.last))


def project_span():
    return _("from %(start)s to %(end)s", start=day(periods.project_start()), end=day(periods.project_end()))


def service(code):
    return str(SERVICE_LABELS.get(code, _("Other")))


def role(code):
    return str(ROLE_LABELS.get(code, _("Other role")))


def disaggregation(by):
    return str(DISAGGREGATIONS.get(by, _("Other"))) if by else _("total")


def records(tables):
    return ", ".join(str(RECORDS[t]) for t in tables if t in RECORDS)


def item_labels():
    """{disaggregation: {key: name}} for the places: quartieri, presidi, buildings, pilot areas."""
    return {
        "quartiere": {str(q["id"]): q["name"] for q in places.quartieri()},
        "presidio": {p["code"]: p["name"] for p in places.presidi()},
        "building": {str(b["id"]): b["address"] for b in places.all_buildings()},
        "pilot_area": {k: str(v) for k, v in places.PILOT_AREAS.items()},
    }


def item(meta, by, key, labels):
    """The name of a disaggregation's item: a place, a vocabulary label; "(none)" for records without one."""
    if not by:
        return _("total")
    if key == "":
        return _("(none)")
    found = labels.get(by, {}).get(key) or (meta.get("key_labels") or {}).get(by, {}).get(key)
    return str(found) if found is not None else _("other")


def number(value, unit_code):
    """A figure in Italian writing, with its unit: "1.234", "90,7 %", "525.664,20 EUR", "12,5"."""
    return figure(value, unit_code)
