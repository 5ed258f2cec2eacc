"""The report to the Region: one XLSX workbook and a PDF summary, in Italian, from a locked snapshot or
(provisional) live."""
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fieldapp.access import ROLE_LABELS
from fieldapp.clock import local_zone, utc_now
from fieldapp.governance import closing, records
from fieldapp.indicators.registry import indicators
from fieldapp.pdf import document, latin1

# The call's two lines: Linea 2 is the direct support (heating contributions), Linea 1 every service.
LINE_2 = ("heating",)
SERVICES = {
    "tutoring": _l("Condominium tutors"),
    "common_areas": _l("Common areas and interventions"),
    "community": _l("Community work"),
    "arrears": _l("Arrears team"),
    "heating": _l("Heating contributions"),
    "plans": _l("Individual plans"),
    "pacts": _l("Community pacts"),
}
DAY = "DD/MM/YYYY"
MOMENT = "DD/MM/YYYY HH:MM"


@dataclass
class Report:
    period: object
    lock: dict  # the locked_periods row, None for an open (provisional) period
    values: dict  # {(code, by, key): value}
    activity: list  # [{month, role, service, records, minutes}]
    indicators: list  # [{code, name, service, unit, function, denominator, tables, description}]

    @property
    def provisional(self):
        return self.lock is None


def build(db, period):
    """The report's content: a locked month's snapshot as it was, an open one's live figures."""
    lock = closing.lock_of(db, period.key)
    if lock:
        values = closing.snapshot_figures(db, lock["snapshot_id"])
        activity = [dict(r) for r in db.query(
            "SELECT month, role, service, records, minutes FROM snapshot_activity WHERE snapshot_id = ? "
            "ORDER BY month, role, service", [lock["snapshot_id"]])]
    else:
        values, activity = closing.figures(db, period), records.staff_activity(db, period)
    codes = {code for code, _by, _key in values}
    known = [i for i in indicators().values() if i.code in codes]
    metas = [{"code": i.code, "name": str(i.name), "service": i.service, "unit": i.unit, "function": i.function,
              "denominator": (f"{i.denominator.__module__}.{i.denominator.__qualname__}" if i.denominator else ""),
              "tables": ", ".join(i.tables), "description": str(i.description or "")} for i in known]
    # An indicator frozen in the snapshot but no longer registered keeps its figures, under its code.
    metas += [{"code": c, "name": c, "service": "", "unit": "", "function": "", "denominator": "", "tables": "",
               "description": ""} for c in sorted(codes - {i.code for i in known})]
    return Report(period, lock, values, activity, metas)


def _local(utc_text):
    moment = datetime.fromisoformat(utc_text.replace("Z", "+00:00"))
    return moment.astimezone(local_zone()).replace(tzinfo=None)


def _status(report):
    if report.provisional:
        return _("PROVISIONAL: the period is open, figures may still change")
    when = _local(report.lock["locked_at"]).strftime("%d/%m/%Y %H:%M")
    return _("Final: figures frozen at the close of %(when)s", when=when)


def _line(service):
    return _("Line 2 - contributions") if service in LINE_2 else _("Line 1 - services")


def _table(ws, title, header, rows, formats=None):
    """A sheet: title row, header on row 3 (bold, frozen, autofilter), then the rows."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for column, fmt in (formats or {}).items():
        for (cell,) in ws.iter_rows(min_row=4, min_col=column, max_col=column):
            cell.number_format = fmt
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{get_column_letter(len(header))}{max(ws.max_row, 3)}"
    for index, _heading in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = 18 if index > 1 else 24


def xlsx(report):
    """The workbook as bytes; its creation time comes from the app's clock."""
    with force_locale("it"):
        return _xlsx(report)


def _xlsx(report):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    period = report.period
    mark = _("PROVISIONAL") + " · " if report.provisional else ""
    wb = Workbook()
    wb.properties.creator = "Cortile"
    wb.properties.title = _("Report to the Region %(period)s", period=period.key)
    wb.properties.created = wb.properties.modified = utc_now().replace(tzinfo=None)
    cover = wb.active
    cover.title = _("Report summary")
    cover.append([wb.properties.title])
    cover["A1"].font = Font(bold=True, size=14)
    facts = [(_("Period"), period.key), (_("From"), period.start), (_("To"), period.end - timedelta(days=1)),
             (_("Status"), _status(report)),
             (_("Closed on"), _local(report.lock["locked_at"]) if report.lock else "-"),
             (_("Snapshot"), report.lock["snapshot_id"] if report.lock else "-"),
             (_("Created on"), utc_now().astimezone(local_zone()).replace(tzinfo=None))]
    for label, value in facts:
        cover.append([label, value])
        cell = cover.cell(cover.max_row, 2)
        cell.number_format = (DAY if type(value) is date else MOMENT if isinstance(value, datetime)
                              else cell.number_format)
    cover.column_dimensions["A"].width, cover.column_dimensions["B"].width = 22, 60
    totals = {c: v for (c, b, k), v in report.values.items() if b == "" and k == ""}
    for sheet, in_line in ((_("Line 1 - services"), lambda s: s not in LINE_2),
                           (_("Line 2 - contributions"), lambda s: s in LINE_2)):
        rows = [[str(SERVICES.get(i["service"], i["service"])), i["code"], i["name"], i["unit"], totals.get(i["code"])]
                for i in report.indicators if in_line(i["service"])]
        _table(wb.create_sheet(sheet[:31]), f"{mark}{sheet} · {period.key}",
               [_("Service"), _("Code"), _("Indicator"), _("Unit"), _("Value")], rows)
    names = {i["code"]: i for i in report.indicators}
    rows = []
    for (code, by, key), value in sorted(report.values.items(),
                                         key=lambda kv: (_order(names, kv[0][0]), kv[0][1], kv[0][2])):
        meta = names.get(code, {})
        rows.append([_line(meta.get("service")), str(SERVICES.get(meta.get("service"), meta.get("service") or "")),
                     code, meta.get("name", code), by or _("total"), key or _("total"), value])
    title = _("Indicators")
    _table(wb.create_sheet(title), f"{mark}{title} · {period.key}",
           [_("Line of the call"), _("Service"), _("Code"), _("Indicator"), _("Disaggregation"), _("Item"), _("Value")],
           rows)
    rows = [[records.month_start(a["month"]), str(ROLE_LABELS.get(a["role"], a["role"])),
             str(SERVICES.get(a["service"], a["service"])), a["records"], round(a["minutes"] / 60, 1)]
            for a in report.activity]
    title = _("Staff activity by role and service (never by named worker, L. 300/1970 art. 4)")
    _table(wb.create_sheet(_("Staff activity")[:31]), f"{mark}{title} · {period.key}",
           [_("Month"), _("Role"), _("Service"), _("Records entered"), _("Hours")], rows, {1: "MM/YYYY"})
    rows = [[i["code"], i["name"], i["function"], i["denominator"], i["tables"], i["description"]]
            for i in report.indicators]
    rows += [[f"records.{s.table}", str(s.label), "fieldapp.governance.records.staff_activity", "", s.table,
              _("Staff activity")] for s in records.SOURCES]
    title = _("Sources")
    _table(wb.create_sheet(title), f"{mark}{title} · {period.key}",
           [_("Code"), _("Indicator"), _("Function"), _("Denominator"), _("Tables"), _("Description")], rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _order(names, code):
    return list(names).index(code) if code in names else len(names)


def _plain(text):
    return latin1("-" if text is None else text)


def _number(value):
    if value is None:
        return "-"
    return f"{value:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".").removesuffix(",0")


def pdf(report):
    """The Italian summary as PDF bytes; its creation date comes from the app's clock."""
    with force_locale("it"):
        return _pdf(report)


def _pdf(report):
    period = report.period
    doc = document()
    doc.set_creation_date(utc_now())
    doc.set_creator("Cortile")
    doc.set_title(_plain(_("Report to the Region %(period)s", period=period.key)))
    doc.add_page()
    doc.set_font("Helvetica", "B", 15)
    doc.multi_cell(0, 8, _plain(_("Report to the Region %(period)s", period=period.key)), new_x="LMARGIN", new_y="NEXT")
    if report.provisional:
        doc.set_text_color(180, 0, 0)
        doc.set_font("Helvetica", "B", 20)
        doc.cell(0, 12, _plain(_("PROVISIONAL")), new_x="LMARGIN", new_y="NEXT")
        doc.set_text_color(0, 0, 0)
    doc.set_font("Helvetica", "", 10)
    last = period.end - timedelta(days=1)
    doc.multi_cell(0, 6, _plain(_("Period %(period)s, from %(start)s to %(end)s.", period=period.key,
                                  start=period.start.strftime("%d/%m/%Y"), end=last.strftime("%d/%m/%Y"))),
                   new_x="LMARGIN", new_y="NEXT")
    doc.multi_cell(0, 6, _plain(_status(report)), new_x="LMARGIN", new_y="NEXT")
    totals = {c: v for (c, b, k), v in report.values.items() if b == "" and k == ""}
    for title, in_line in ((_("Line 1 - services"), lambda s: s not in LINE_2),
                           (_("Line 2 - contributions"), lambda s: s in LINE_2)):
        doc.ln(3)
        doc.set_font("Helvetica", "B", 12)
        doc.cell(0, 8, _plain(title), new_x="LMARGIN", new_y="NEXT")
        doc.set_font("Helvetica", "", 10)
        rows = [i for i in report.indicators if in_line(i["service"])]
        for i in rows:
            doc.cell(140, 6, _plain(i["name"])[:80])
            doc.cell(0, 6, _plain(_number(totals.get(i["code"]))), align="R", new_x="LMARGIN", new_y="NEXT")
        if not rows:
            doc.cell(0, 6, _plain(_("No indicator for this line yet.")), new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    doc.set_font("Helvetica", "B", 12)
    doc.cell(0, 8, _plain(_("Staff activity by role and service")), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 10)
    for a in report.activity:
        label = f"{ROLE_LABELS.get(a['role'], a['role'])} - {SERVICES.get(a['service'], a['service'])} ({a['month']})"
        doc.cell(140, 6, _plain(label)[:80])
        doc.cell(0, 6, _plain(_("%(n)s records", n=a["records"])), align="R", new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    doc.set_font("Helvetica", "I", 9)
    doc.multi_cell(0, 5, _plain(_("Staff activity is counted per role and service, never per named worker "
                                  "(L. 300/1970 art. 4). "
                                  "Sources and every disaggregation are in the XLSX workbook of the same period.")),
                   new_x="LMARGIN", new_y="NEXT")
    created = utc_now().astimezone(local_zone()).strftime("%d/%m/%Y %H:%M")
    doc.multi_cell(0, 5, _plain(_("Created on %(when)s", when=created)), new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


def filename(period, ext):
    return f"rendiconto-regione-{period.key}.{ext}"
