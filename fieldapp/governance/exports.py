"""Exports of every area as CSV and XLSX, each limited to what its reader may see."""
import json
from collections import namedtuple
from datetime import date, timedelta

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from fieldapp import audit_view, sheets
from fieldapp.access import allow
from fieldapp.audit import audit
from fieldapp.clock import local_today, utc_start_of
from fieldapp.fields import iso_day
from fieldapp.governance import export_queries as queries
from fieldapp.governance.blueprint import bp
from fieldapp.meetings.api import vocab as meeting_vocab
from fieldapp.render import render
from fieldapp.reports import api as report_api
from fieldapp.sheets import day
from fieldapp.visits.api import vocab as visit_vocab

Dataset = namedtuple("Dataset", "endpoint label help roles")
FORMAT = "<any(csv, xlsx):fmt>"

# What each role may download, in the order of the page. Interventions keep their own routes.
DATASETS = [
    Dataset("governance.export_visits", _l("Visits"),
            _l("Counted per month, presidio, quartiere and kind: no household, no notes."), ("tutor", "coordinator")),
    Dataset("governance.export_followups", _l("Follow-ups"),
            _l("Due in the period, with the household code; not who was assigned."), ("tutor", "coordinator")),
    Dataset("governance.export_reports", _l("Reports"),
            _l("Filed in the period, with their status and the dates of ALER."),
            ("tutor", "operator", "community", "coordinator")),
    Dataset("governance.export_meetings", _l("Meetings"),
            _l("Held in the period, with the participants by group; not the summary."),
            ("tutor", "community", "coordinator")),
    Dataset("governance.export_audit", _l("Audit log"),
            _l("Who did what, in the period: for the data-protection officer."), ("coordinator",)),
    Dataset("interventions.export_csv", _l("Interventions"),
            _l("Scheduled in the period, with costs and contractors."), ("operator", "coordinator")),
    Dataset("governance.aler_monthly", _l("ALER: the month in its buildings"),
            _l("One row per ALER building: reports passed, taken, resolved and interventions."),
            ("aler", "coordinator")),
]
PAGE_ROLES = tuple(sorted({role for dataset in DATASETS for role in dataset.roles}))


def period(args):
    """(first, last, error) local days from ?from=&to=; by default the current calendar year."""
    today = local_today()
    days = []
    for name, default in (("from", date(today.year, 1, 1)), ("to", date(today.year, 12, 31))):
        value = (args.get(name) or "").strip()
        day = iso_day(value) if value else default
        if day is None:
            return None, None, _("Write the dates as day, month and year (for example 2026-11-30).")
        days.append(day)
    first, last = days
    if first > last:
        return None, None, _("The first day comes after the last one: swap them.")
    return first, last, None


def presidio_scope():
    """None for a reader of every presidio; a tutor's own presidio otherwise."""
    return current_user.presidio_code if current_user.role == "tutor" else None


def page(error=None, status=200):
    readable = [d for d in DATASETS if current_user.role in d.roles]
    return render("governance/exports.html", status=status, datasets=readable, error=error,
                  values={"from": request.args.get("from", ""), "to": request.args.get("to", "")})


@bp.get("/governance/exports")
@allow(*PAGE_ROLES)
def exports():
    return page()


def send(fmt, name, title, columns, rows, first, last):
    """The table as a download, logged in the audit trail with its period and size."""
    audit("export", target=f"{name}.{fmt}", detail={"from": first.isoformat(), "to": last.isoformat(),
                                                     "rows": len(rows)})
    body = sheets.to_csv(columns, rows) if fmt == "csv" else sheets.to_xlsx(columns, rows, title)
    return sheets.download(body, fmt, f"{name}_{first}_{last}")


def export(fmt, name, title, build):
    """Check the period, then build (columns, rows) for it; a bad period re-renders the page (422)."""
    first, last, error = period(request.args)
    if error:
        return page(error, 422)
    columns, rows = build(first, last)
    return send(fmt, name, title, columns, rows, first, last)


def label(vocabulary, code):
    return str(vocabulary.get(code, code)) if code else None


def labels(vocabulary, codes):
    return ", ".join(label(vocabulary, code) for code in json.loads(codes or "[]"))


# --- the datasets ------------------------------------------------------------------------

@bp.get(f"/governance/exports/visits.{FORMAT}")
@allow("tutor", "coordinator")
def export_visits(fmt):
    def build(first, last):
        columns = [("month", _("Month")), ("presidio", _("Presidio")), ("quartiere", _("Quartiere")),
                   ("kind", _("Kind of visit")), ("visits", _("Visits")),
                   ("households", _("Households visited")), ("people", _("People met"))]
        rows = [{"month": day(row["month"] + "-01"), "presidio": row["presidio_code"],
                 "quartiere": row["quartiere"], "kind": label(visit_vocab.KINDS, row["kind"]),
                 "visits": row["visits"], "households": row["households"], "people": row["people"]}
                for row in queries.visits_by_month(first.isoformat(), last.isoformat(), presidio_scope())]
        return columns, rows

    return export(fmt, "visite", _("Visits"), build)


@bp.get(f"/governance/exports/followups.{FORMAT}")
@allow("tutor", "coordinator")
def export_followups(fmt):
    today = local_today()

    def build(first, last):
        columns = [("due_on", _("Due on")), ("action", _("Action")), ("status", _("Status")),
                   ("done_at", _("Done at")), ("late_days", _("Days late")), ("origin", _("From")),
                   ("household", _("Household code")), ("building", _("Building code")),
                   ("presidio", _("Presidio")), ("quartiere", _("Quartiere"))]
        rows = []
        for row in queries.followups(first.isoformat(), last.isoformat(), presidio_scope()):
            due, done = day(row["due_on"]), sheets.local_moment(row["done_at"])
            finished = done.date() if done else (today if row["status"] == "open" else None)
            rows.append({
                "due_on": due, "action": label(visit_vocab.FOLLOWUP_ACTIONS, row["action"]),
                "status": label(visit_vocab.FOLLOWUP_STATUSES, row["status"]), "done_at": done,
                "late_days": max(0, (finished - due).days) if finished else None,
                "origin": _("Visit") if row["from_visit"] else _("Case conference"),
                "household": row["household_code"], "building": row["building_code"],
                "presidio": row["presidio_code"], "quartiere": row["quartiere"]})
        return columns, rows

    return export(fmt, "seguiti", _("Follow-ups"), build)


@bp.get(f"/governance/exports/reports.{FORMAT}")
@allow("tutor", "operator", "community", "coordinator")
def export_reports(fmt):
    def build(first, last):
        columns = [("id", _("Report")), ("created_at", _("Reported")), ("status", _("Status")),
                   ("source", _("Source")), ("category", _("Category")), ("area", _("Area")),
                   ("severity", _("Severity")), ("description", _("Description")),
                   ("building", _("Building code")), ("address", _("Address")), ("owner", _("Owner")),
                   ("presidio", _("Presidio")), ("quartiere", _("Quartiere")), ("updated_at", _("Last change")),
                   ("aler_passed_at", _("Passed to ALER")), ("aler_taken_at", _("Taken on by ALER")),
                   ("aler_resolved_at", _("Resolved by ALER"))]
        since, until = utc_start_of(first), utc_start_of(last + timedelta(days=1))
        rows = [{"id": row["uuid"][:8], "created_at": sheets.local_moment(row["created_at"]),
                 "status": label(report_api.STATUSES, row["status"]),
                 "source": label(report_api.SOURCES, row["source"]),
                 "category": label(report_api.CATEGORIES, row["category"]),
                 "area": label(report_api.AREAS, row["area"]),
                 "severity": label(report_api.SEVERITIES, row["severity"]), "description": row["description"],
                 "building": row["building_code"], "address": row["address"],
                 "owner": "ALER" if row["owner"] == "aler" else "Comune",
                 "presidio": row["presidio_code"], "quartiere": row["quartiere"],
                 "updated_at": sheets.local_moment(row["updated_at"]),
                 "aler_passed_at": sheets.local_moment(row["aler_passed_at"]),
                 "aler_taken_at": sheets.local_moment(row["aler_taken_at"]),
                 "aler_resolved_at": sheets.local_moment(row["aler_resolved_at"])}
                for row in queries.reports(since, until, report_api.scope())]
        return columns, rows

    return export(fmt, "segnalazioni", _("Reports"), build)


@bp.get(f"/governance/exports/meetings.{FORMAT}")
@allow("tutor", "community", "coordinator")
def export_meetings(fmt):
    groups = meeting_vocab.PARTICIPANT_GROUPS

    def build(first, last):
        columns = [("held_on", _("Day")), ("start", _("Start time")), ("minutes", _("Minutes")),
                   ("context", _("Context")), ("kind", _("Kind of meeting")), ("place", _("Place")),
                   ("building", _("Building code")), ("presidio", _("Presidio")), ("quartiere", _("Quartiere")),
                   *[(column, str(name)) for column, name in groups.items()],
                   ("participants", _("Participants")), ("topics", _("Topics")), ("outcomes", _("Outcomes"))]
        rows = [{"held_on": day(row["held_on"]), "start": row["start_time"], "minutes": row["duration_minutes"],
                 "context": label(meeting_vocab.CONTEXTS, row["context"]),
                 "kind": label(meeting_vocab.KINDS, row["kind"]), "place": row["place"],
                 "building": row["building_code"], "presidio": row["presidio_code"], "quartiere": row["quartiere"],
                 **{column: row[column] for column in groups},
                 "participants": sum(row[column] for column in groups),
                 "topics": labels(meeting_vocab.TOPICS, row["topics"]),
                 "outcomes": labels(meeting_vocab.OUTCOMES, row["outcomes"])}
                for row in queries.meetings(first.isoformat(), last.isoformat())]
        return columns, rows

    return export(fmt, "incontri", _("Meetings"), build)


@bp.get(f"/governance/exports/audit.{FORMAT}")
@allow("coordinator")
def export_audit(fmt):
    def build(first, last):
        names = audit_view.known_names()  # the same names the audit page shows; other hashes stay hashes
        columns = [("at", _("When (Italian time)")), ("who", _("Who")), ("action", _("Action")),
                   ("code", _("Action code")), ("target", _("On")), ("detail", _("Detail")), ("ip", _("Address"))]
        rows = [{"at": sheets.local_moment(row["at"], seconds=True), "who": names.get(row["username"], row["username"]),
                 "action": audit_view.label(row["action"]), "code": row["action"],
                 "target": names.get(row["target"], row["target"]), "detail": row["detail"], "ip": row["ip"]}
                for row in queries.audit_rows(utc_start_of(first), utc_start_of(last + timedelta(days=1)))]
        return columns, rows

    return export(fmt, "registro_accessi", _("Audit log"), build)
