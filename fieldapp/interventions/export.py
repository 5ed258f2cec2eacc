"""Interventions of a period as a table: costs, contractor, durations, linked reports; CSV and XLSX."""
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext

from fieldapp import sheets
from fieldapp.interventions.vocab import KINDS, STATUSES


def columns():
    """(key, header) of every exported column, headers in the user's language."""
    return [
        ("id", _("Intervention")), ("kind", _("Kind of work")), ("status", _("Status")),
        ("building_code", _("Building code")), ("address", _("Address")), ("quartiere", _("Quartiere")),
        ("contractor", _("Contractor")), ("scheduled_on", _("Day")), ("time_from", _("Start time")),
        ("time_to", _("End time")), ("estimated", _("Estimated cost (EUR)")), ("actual", _("Actual cost (EUR)")),
        ("planned_at", _("Planned at")), ("notified_at", _("Notified at")), ("started_at", _("Started at")),
        ("done_at", _("Done at")), ("days_planned_to_done", _("Days from planning to done")),
        ("hours_on_site", _("Hours from start to done")),
        ("days_report_to_done", _("Days from the first report to done")),
        ("reports", _("Linked reports")), ("report_uuids", _("Report ids")),
        ("cancel_reason", _("Reason for cancelling")),
    ]


def between(start, end, unit_seconds):
    if not (start and end):
        return None
    seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    return round(seconds / unit_seconds, 1)


def euros(cents):
    return None if cents is None else Decimal(cents) / 100


def table(rows):
    """The export rows (dicts keyed like columns()) and their totals row."""
    out = []
    for row in rows:
        out.append({
            "id": row["id"], "kind": str(KINDS.get(row["kind"], row["kind"])),
            "status": str(STATUSES[row["status"]]), "building_code": row["building_code"],
            "address": row["address"], "quartiere": row["quartiere_name"], "contractor": row["contractor_name"],
            "scheduled_on": sheets.day(row["scheduled_on"]), "time_from": row["time_from"], "time_to": row["time_to"],
            "estimated": euros(row["estimated_cost_cents"]), "actual": euros(row["actual_cost_cents"]),
            "planned_at": sheets.local_moment(row["created_at"]),
            "notified_at": sheets.local_moment(row["notified_at"]),
            "started_at": sheets.local_moment(row["started_at"]), "done_at": sheets.local_moment(row["done_at"]),
            "days_planned_to_done": between(row["created_at"], row["done_at"], 86400),
            "hours_on_site": between(row["started_at"], row["done_at"], 3600),
            "days_report_to_done": between(row["first_report_at"], row["done_at"], 86400),
            "reports": row["report_count"], "report_uuids": row["report_uuids"] or "",
            "cancel_reason": row["cancel_reason"] or "",
        })
    totals = {key: None for key, _header in columns()}
    totals.update({
        "id": _("Total"), "kind": ngettext("%(num)d intervention", "%(num)d interventions", len(out)),
        "estimated": sum((r["estimated"] or 0 for r in out), Decimal(0)),
        "actual": sum((r["actual"] or 0 for r in out), Decimal(0)),
        "reports": sum(r["reports"] for r in out),
    })
    return out, totals


def to_csv(rows, totals):
    return sheets.to_csv(columns(), rows, totals)


def to_xlsx(rows, totals, title):
    return sheets.to_xlsx(columns(), rows, title, totals)
