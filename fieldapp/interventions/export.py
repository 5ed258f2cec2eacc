"""Interventions of a period as a table: costs, contractor, durations, linked reports; CSV and XLSX."""
import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _, ngettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from fieldapp.interventions.vocab import KINDS, STATUSES

MONEY = ("estimated", "actual")


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


def local(timestamp):
    """A stored UTC timestamp as local wall-clock "YYYY-MM-DD HH:MM"; None stays None."""
    if not timestamp:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.fromisoformat(timestamp).astimezone(zone).strftime("%Y-%m-%d %H:%M")


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
            "scheduled_on": row["scheduled_on"], "time_from": row["time_from"], "time_to": row["time_to"],
            "estimated": euros(row["estimated_cost_cents"]), "actual": euros(row["actual_cost_cents"]),
            "planned_at": local(row["created_at"]), "notified_at": local(row["notified_at"]),
            "started_at": local(row["started_at"]), "done_at": local(row["done_at"]),
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


def _cell_text(value):
    """A CSV cell for Italian Excel: decimal comma, and no formula injection from typed text."""
    if value is None:
        return ""
    if isinstance(value, (Decimal, float)):
        return f"{value:.2f}".replace(".", ",") if isinstance(value, Decimal) else f"{value}".replace(".", ",")
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows, totals):
    """UTF-8 with a BOM and ';' between fields: what Excel set to Italian opens without asking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    keys = [key for key, _header in columns()]
    writer.writerow([header for _key, header in columns()])
    for row in [*rows, totals]:
        writer.writerow([_cell_text(row[key]) for key in keys])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows, totals, title):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    keys = [key for key, _header in columns()]
    sheet.append([header for _key, header in columns()])
    for row in [*rows, totals]:
        sheet.append([_xlsx_value(row[key]) for key in keys])
    bold = Font(bold=True)
    for cell in (*sheet[1], *sheet[sheet.max_row]):
        cell.font = bold
    for index, key in enumerate(keys, start=1):
        letter = get_column_letter(index)
        if key in MONEY:
            for cell in sheet[letter][1:]:
                cell.number_format = "#,##0.00"
        sheet.column_dimensions[letter].width = max(10, min(40, len(str(sheet[f"{letter}1"].value)) + 2))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value[:1] == "=":
        return "'" + value  # text, never a formula
    return value
