"""ALER coordination: passing reports on ALER buildings to ALER, ALER's own page, its monthly files."""
import json
from datetime import date, timedelta

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from fieldapp import sheets
from fieldapp.access import allow
from fieldapp.audit import audit
from fieldapp.clock import local_today, utc_start_of
from fieldapp.db import get_db, is_uuid
from fieldapp.fields import AppForm, choices, wallclock
from fieldapp.governance import aler_queries as queries
from fieldapp.governance import mail
from fieldapp.governance.blueprint import bp
from fieldapp.interventions.api import KINDS as INTERVENTION_KINDS
from fieldapp.interventions.api import STATUSES as INTERVENTION_STATUSES
from fieldapp.messages.digest import Scheduled
from fieldapp.numbers import VersionField
from fieldapp.render import render
from fieldapp.reports import api as report_api
from fieldapp.reports.api import (
    AREAS,
    CATEGORIES,
    SEVERITIES,
    STATUSES,
    StatusForm,
    detail_page,
    report_or_404,
    vocabularies,
)

READERS = ("aler", "coordinator")
PASSABLE = ("new", "verified")
MONTHS_SHOWN = 12


class PassForm(AppForm):
    note = TextAreaField(validators=[Optional(), Length(max=1000)])
    version = VersionField(validators=[InputRequired()])


class AlerStatusForm(AppForm):
    to = SelectField(choices=choices({key: STATUSES[key] for key in ("aler_taken", "resolved")}),
                     validators=[InputRequired()])
    note = TextAreaField(validators=[Optional(), Length(max=1000)])
    version = VersionField(validators=[InputRequired()])


def when(timestamp):
    """A stored UTC timestamp in Rome's time (wallclock converts it once; a naive local time would be twice)."""
    return wallclock(timestamp)


# --- the operator passes a report to ALER ------------------------------------------------

@bp.context_processor
def report_page_vocabularies():
    """A refused pass re-renders the report page, which expects the reports area's vocabularies."""
    return vocabularies() if request.endpoint == "governance.aler_pass" else {}


def pass_refusal(report):
    """Why this report cannot go to ALER, or None."""
    if report["building_owner"] != "aler":
        return _("This building belongs to the Comune, not to ALER: its common areas are the Comune's to fix.")
    if report["aler_passed_at"]:
        return _("This report was already passed to ALER on %(when)s.", when=when(report["aler_passed_at"]))
    if report["status"] not in PASSABLE:
        return _("Only a report awaiting verification or verified can be passed to ALER; this one is: %(status)s.",
                 status=STATUSES[report["status"]])
    return None


@bp.post("/governance/aler/reports/<uuid>/pass")
@allow(*report_api.WORKFLOW_ROLES)
def aler_pass(uuid):
    report = report_or_404(uuid)
    form = PassForm()
    refusal = (pass_refusal(report) if form.validate_on_submit()
               else _("The form has expired. Reload the page and try again."))
    if refusal is None:
        db = get_db()
        try:
            with db.atomic():  # ALER hears of it only when the pass is stored
                passed = report_api.transition(report, "with_aler", current_user, note=form.note.data,
                                               version=form.version.data, by=report_api.TO_ALER)
                mail.report_passed(db, passed)
        except report_api.TransitionError as error:
            refusal = error.message
        except report_api.StaleReport:
            refusal = _("Someone else changed this report meanwhile: here it is as it is now.")
            report = report_or_404(uuid)
    if refusal:
        status_form = StatusForm(formdata=None, version=report["version"])
        status_form.form_errors.append(refusal)
        return detail_page(report, 422, status_form=status_form)
    flash(_("Report passed to ALER."), "success")
    return redirect(url_for("reports.report_detail", uuid=uuid), 303)


# --- ALER's page ---------------------------------------------------------------------------

def month_bounds(first):
    """(first day, last day, UTC start, UTC end) of the local month starting on `first`."""
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - timedelta(days=1), utc_start_of(first), utc_start_of(following)


def month_totals(first):
    rows = buildings_in_month(first)
    keys = ("filed", "passed", "taken", "resolved", "interventions", "interventions_done")
    return {"month": first, **{key: sum(row[key] for row in rows) for key in keys}}


# Queued with the daily digest (fieldapp.messages.digest): the month before, to ALER_EMAIL, once.
ALER_MONTH = Scheduled("aler_month", lambda db, today: mail.aler_month(db, today, month_totals))


def recent_months(count):
    today = local_today()
    index = today.year * 12 + today.month - 1
    return [date((index - back) // 12, (index - back) % 12 + 1, 1) for back in range(count)]


def aler_page(error=None, status=200):
    return render(
        "governance/aler.html", status=status, error=error, reports=queries.passed_reports(),
        interventions=queries.interventions((local_today() - timedelta(days=365)).isoformat()),
        months=[month_totals(first) for first in recent_months(MONTHS_SHOWN)],
        can_act=current_user.role == "aler", when=when, statuses=STATUSES, areas=AREAS, categories=CATEGORIES,
        severities=SEVERITIES, intervention_kinds=INTERVENTION_KINDS, intervention_statuses=INTERVENTION_STATUSES)


@bp.get("/governance/aler")
@allow(*READERS)
def aler_home():
    return aler_page()


@bp.post("/governance/aler/reports/<uuid>/status")
@allow("aler")
def aler_report_status(uuid):
    """ALER takes a report on, or says it is resolved."""
    form = AlerStatusForm()
    if not form.validate_on_submit():
        return aler_page(_("Choose whether ALER takes the report on or has resolved it."), 422)
    report = queries.passed_report(uuid) if is_uuid(uuid) else None
    if report is None or report["aler_passed_at"] is None:
        return aler_page(_("This report was not passed to ALER: there is nothing to do on it here."), 422)
    if report["status"] == form.to.data:
        return aler_page(_("The report is already in this status: %(status)s.", status=STATUSES[report["status"]]), 422)
    try:
        report_api.transition(report, form.to.data, current_user, note=form.note.data, version=form.version.data,
                            by=report_api.BY_ALER)
    except report_api.TransitionError as error:
        return aler_page(error.message, 422)
    except report_api.StaleReport:
        return aler_page(_("Someone else changed this report meanwhile: here it is as it is now."), 409)
    flash(_("Report moved to: %(status)s.", status=STATUSES[form.to.data]), "success")
    return redirect(url_for(".aler_home"), 303)


# --- the monthly files ------------------------------------------------------------------------

def chosen_month():
    """The local month of ?month=YYYY-MM (or of ?from=, from the exports page); this month by default."""
    value = (request.args.get("month") or request.args.get("from") or "").strip()[:7]
    if not value:
        return local_today().replace(day=1)
    try:
        first = date.fromisoformat(value + "-01")
    except ValueError:
        return None
    return first if 1900 <= first.year <= 2199 else None


def buildings_in_month(first):
    first_day, last_day, since, until = month_bounds(first)
    return queries.building_month(since, until, first_day.isoformat(), last_day.isoformat())


def month_file(write):
    """The chosen month's rows handed to `write(first, rows)`; a bad month re-renders ALER's page (422)."""
    first = chosen_month()
    if first is None:
        return aler_page(_("Choose a month as year and month, for example 2026-11."), 422)
    return write(first, buildings_in_month(first))


COUNTS = ("filed", "passed", "taken", "resolved", "interventions", "interventions_done")


def month_columns():
    return [("month", _("Month")), ("code", _("Building code")), ("address", _("Address")),
            ("quartiere", _("Quartiere")), ("filed", _("Reports filed")), ("passed", _("Reports passed to ALER")),
            ("taken", _("Reports taken on by ALER")), ("resolved", _("Reports resolved by ALER")),
            ("interventions", _("Interventions scheduled")), ("interventions_done", _("Interventions done"))]


@bp.get("/governance/aler/month.csv")
@allow(*READERS)
def aler_monthly():
    """One row per ALER building with the month's counts: no household, no person."""
    def write(first, rows):
        table = [{"month": f"{first:%Y-%m}", **{key: row[key] for key in ("code", "address", "quartiere", *COUNTS)}}
                 for row in rows]
        audit("export", target="aler_month.csv", detail={"month": f"{first:%Y-%m}", "rows": len(table)})
        return sheets.download(sheets.to_csv(month_columns(), table), "csv", f"aler_{first:%Y-%m}")

    return month_file(write)


@bp.get("/governance/aler/month.geojson")
@allow(*READERS)
def aler_geojson():
    """The ALER buildings as points with the month's counts, for ALER's own maps."""
    def write(first, rows):
        features = [{"type": "Feature",
                     "geometry": {"type": "Point", "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]},
                     "properties": {"code": row["code"], "address": row["address"], "quartiere": row["quartiere"],
                                    "month": f"{first:%Y-%m}", **{key: row[key] for key in COUNTS}}}
                    for row in rows]
        body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                          separators=(",", ":"))
        response = current_app.response_class(body, mimetype="application/geo+json")
        response.headers["Content-Disposition"] = f'attachment; filename="aler_{first:%Y-%m}.geojson"'
        return response

    return month_file(write)
