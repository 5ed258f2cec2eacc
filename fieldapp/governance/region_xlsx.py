"""The report to the Region as an XLSX workbook, in Italian: names and units in words, never codes."""
import io
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from fieldapp import sheets
from fieldapp.clock import local_zone, utc_now
from fieldapp.governance import costs, linea2, records, region, words
from fieldapp.heating.api import RULES
from fieldapp.indicators import periods

MONEY, COUNT, SHARE, HOURS = "#,##0.00", "#,##0", "0.0", "#,##0.0"
FORMATS = {"eur": MONEY, "percent": SHARE, "days": SHARE, "hours": HOURS, "count": COUNT}
DAY, MOMENT, MONTH = "DD/MM/YYYY", "DD/MM/YYYY HH:MM", "MM/YYYY"


def workbook(report):
    """The workbook as bytes; its creation time comes from the app's clock."""
    with force_locale("it"):
        return _workbook(report)


def _title(report, name):
    mark = _("PROVISIONAL") + " · " if report.provisional and report.period.kind not in ("season", "project") else ""
    return f"{mark}{name} · {words.period_name(report.period)}"


def _table(ws, title, header, rows, widths=None):
    """A sheet: title row, header on row 3 (bold, frozen, autofilter), then the rows; numbers keep formats given
    as (value, format) pairs."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheets.append(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    sheets.append(ws, [])
    sheets.append(ws, header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    _rows(ws, rows)
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{get_column_letter(len(header))}{max(ws.max_row, 3)}"
    for index, _heading in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = (widths or {}).get(index, 16 if index > 1 else 30)


def _rows(ws, rows, bold=False):
    from openpyxl.styles import Font

    number = ws.max_row  # counted once: max_row walks every cell
    for row in rows:
        sheets.append(ws, [c[0] if isinstance(c, tuple) else c for c in row])
        number += 1
        for index, value in enumerate(row, start=1):
            cell = ws.cell(number, index)
            if isinstance(value, tuple):
                cell.number_format = value[1]
            elif isinstance(value, datetime):
                cell.number_format = MOMENT
            elif isinstance(value, date):
                cell.number_format = DAY
            if bold:
                cell.font = Font(bold=True)


def _figure(value, unit):
    return (value, FORMATS.get(unit, COUNT)) if value is not None else "-"


def _indicator_rows(report, in_line):
    rows = []
    for meta in report.indicators:
        if not in_line(meta["service"]):
            continue
        found = region.target(report, meta)
        goal, percent, compared = "-", "-", "-"
        if found:
            goal = _figure(found[0], meta["unit"])
            percent = (found[2], SHARE) if found[2] is not None else "-"
            compared = _("the project to date") if found[3] else words.period_name(report.period)
        rows.append([words.service(meta["service"]), meta["name"], words.unit(meta),
                     _figure(report.totals.get(meta["code"]), meta["unit"]),
                     _figure(report.totals_to_date.get(meta["code"]), meta["unit"]), goal, compared, percent])
    return rows


def _indicator_header():
    return [_("Service"), _("Indicator"), _("Unit"), _("In the period"), _("Since the project began"), _("Target"),
            _("Compared with"), _("Achieved, % of the target")]


def _line_sheet(wb, report, name, in_line):
    ws = wb.create_sheet(name[:31])
    rows = _indicator_rows(report, in_line)
    _table(ws, _title(report, name), _indicator_header(), rows, {1: 26, 2: 44, 7: 22})
    if not rows:
        sheets.append(ws, [_("No indicator for this line yet.")])
    return ws


def _linea2_blocks(ws, report):
    from openpyxl.styles import Font

    rules = report.settings.get("heating_rules") or {}
    for key, values in report.seasons().items():
        season = periods.season(key)
        rule = rules.get(key)
        rule_text = str(RULES.get(rule[0], "")) if rule else _("no contribution computed yet")
        sheets.append(ws, [])
        sheets.append(ws, [_("Heating season %(key)s, %(span)s. Rule used: %(rule)s", key=key, span=words.span(season),
                     rule=rule_text)])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for by, heading in (("building", _("Building")), ("quartiere", _("Quartiere"))):
            _rows(ws, [[heading, *[str(h) for _code, h in linea2.COLUMNS]]], bold=True)
            rows, total = linea2.table(values, by, report.labels.get(by, {}))
            money = [FORMATS["eur"] if code.endswith("_eur") else COUNT for code, _h in linea2.COLUMNS]
            _rows(ws, [[r[0], *[(v, f) for v, f in zip(r[1:], money, strict=True)]] for r in rows])
            _rows(ws, [[total[0], *[(v, f) for v, f in zip(total[1:], money, strict=True)]]], bold=True)


def _indicators_sheet(wb, report):
    names = {m["code"]: m for m in report.indicators}
    keys = sorted(set(report.values) | set(report.to_date),
                  key=lambda k: ([m["code"] for m in report.indicators].index(k[0]), k[1], k[2]))
    rows = []
    for code, by, key in keys:
        meta = names[code]
        rows.append([_line(meta["service"]), words.service(meta["service"]), meta["name"], words.disaggregation(by),
                     words.item(meta, by, key, report.labels), words.unit(meta),
                     _figure(report.values.get((code, by, key)), meta["unit"]),
                     _figure(report.to_date.get((code, by, key)), meta["unit"])])
    title = _("Indicators")
    _table(wb.create_sheet(title), _title(report, title),
           [_("Line of the call"), _("Service"), _("Indicator"), _("Disaggregation"), _("Item"), _("Unit"),
            _("In the period"), _("Since the project began")], rows, {2: 24, 3: 40, 5: 30})


def _line(service):
    return _("Line 2 - contributions") if service in linea2.LINE_2 else _("Line 1 - services")


def _costs_sheet(wb, report):
    rates = {k: int(v) for k, v in (report.settings.get("rates") or {}).items()}
    now = {r["role"]: r for r in costs.staff(report.activity, rates)}
    since = {r["role"]: r for r in costs.staff(report.activity_to_date, rates)}
    line1, line2 = _("Line 1 - services"), _("Line 2 - contributions")
    rows = []
    for role in sorted(set(now) | set(since), key=words.role):
        row, before = now.get(role), since.get(role)
        rate = (row or before)["rate"]
        estimated = (row or before)["estimated_minutes"]
        nature = (_("no hourly rate set") if rate is None else _("notional (flat rate): hours partly estimated")
                  if estimated else _("notional (flat rate): hours recorded"))
        rows.append([line1, _("Staff hours: %(role)s", role=words.role(role)), nature,
                     _hours(row, "minutes"), _hours(row, "estimated_minutes"), _money(rate),
                     _money(row and row["cost"]), _money(row and row["estimated_cost"]), _hours(before, "minutes"),
                     _money(before and before["cost"])])
    for line, code, label in ((line1, "interventions.cost", _("Interventions of the contracted firms")),
                              (line2, "heating.contributions_eur", _("Heating contributions paid")),
                              (line2, "heating.recovered_eur", _("Heating contributions recovered"))):
        rows.append([line, label, _("actual"), "-", "-", "-", _figure(report.totals.get(code), "eur"), "-", "-",
                     _figure(report.totals_to_date.get(code), "eur")])
    title = _("Costs")
    ws = wb.create_sheet(title)
    _table(ws, _title(report, title),
           [_("Line of the call"), _("Item"), _("Nature of the cost"), _("Hours in the period"),
            _("of which estimated"), _("Hourly rate, EUR"), _("In the period, EUR"), _("of which estimated, EUR"),
            _("Hours since the project began"), _("Since the project began, EUR")], rows, {2: 34, 3: 36})
    standards = current_app.config["STANDARD_DURATION_MINUTES"]
    for note in (_("Line 1 is funded as a flat rate (quota forfettaria): staff hours times the hourly rate are a "
                   "notional cost for the programme's own reading, not eligible expenditure to be accounted for."),
                 _("Hours come from the duration of each record; home visits and arrears contacts entered without "
                   "one count as estimated durations (minutes): home visits %(visit)s, arrears contacts %(contact)s.",
                   visit=standards.get("visits", 0), contact=standards.get("arrears_contacts", 0)),
                 _("Actual costs: the interventions' costs as entered by the operator, the contributions credited "
                   "to the tenants' rent accounts.")):
        sheets.append(ws, [])
        sheets.append(ws, [note])


def _money(cents):
    return (cents / 100, MONEY) if cents is not None else "-"


def _hours(row, key):
    return (round(row[key] / 60, 1), HOURS) if row else (0, HOURS)


def _activity_sheet(wb, report):
    rows = [[(records.month_start(a["month"]), MONTH), words.role(a["role"]), words.service(a["service"]),
             (a["records"], COUNT), (round(a["minutes"] / 60, 1), HOURS),
             (round((a.get("estimated_minutes") or 0) / 60, 1), HOURS)] for a in report.activity]
    title = _("Staff activity by role and service (never by named worker, L. 300/1970 art. 4)")
    _table(wb.create_sheet(_("Staff activity")[:31]), _title(report, title),
           [_("Month"), _("Role"), _("Service"), _("Records entered"), _("Hours"), _("of which estimated")], rows)


def _sources_sheet(wb, report):
    rows = [[m["name"], words.records(m["tables"]), m["description"],
             _("sum of the closed months") if m["additive"] else _("computed again over the whole period")]
            for m in report.indicators]
    standards = current_app.config["STANDARD_DURATION_MINUTES"]
    for source in records.SOURCES:
        minutes = _("no duration: hours not counted")
        if source.minutes != "NULL":
            minutes = _("its own duration") if not source.standard else _(
                "its own duration, or an estimate (minutes: %(n)s)", n=standards.get(source.standard, 0))
        rows.append([_("Staff activity: %(record)s", record=str(source.label)), words.records((source.table,)),
                     _("One per record, by the role of who entered it; hours: %(minutes)s.", minutes=minutes),
                     _("sum of the closed months")])
    title = _("Sources")
    _table(wb.create_sheet(title), _title(report, title),
           [_("Figure"), _("Records counted"), _("How it is counted"), _("Over several months")], rows,
           {1: 40, 2: 40, 3: 70, 4: 30})


def _summary(wb, report):
    from openpyxl.styles import Font

    period = report.period
    cover = wb.active
    cover.title = _("Report summary")
    sheets.append(cover, [wb.properties.title])
    cover["A1"].font = Font(bold=True, size=14)
    facts = [(_("Period"), words.period_name(period)), (_("From"), period.start), (_("To"), period.last),
             (_("Status"), region.status(report)),
             (_("Closed on"), words.local(report.lock["locked_at"]) if report.lock else "-"),
             (_("Project"), words.project_span()),
             (_("Created on"), utc_now().astimezone(local_zone()).replace(tzinfo=None))]
    _rows(cover, [list(f) for f in facts])
    sheets.append(cover, [])
    _rows(cover, [[_("Costs and contributions"), _("In the period"), _("Since the project began")]], bold=True)
    for label, code in ((_("Line 1: interventions of the contracted firms, EUR"), "interventions.cost"),
                        (_("Line 2: heating contributions paid, EUR"), "heating.contributions_eur"),
                        (_("Line 2: heating contributions recovered, EUR"), "heating.recovered_eur")):
        _rows(cover, [[label, _figure(report.totals.get(code), "eur"),
                       _figure(report.totals_to_date.get(code), "eur")]])
    cover.column_dimensions["A"].width, cover.column_dimensions["B"].width = 48, 60
    cover.column_dimensions["C"].width = 24


def _workbook(report):
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = "Cortile"
    wb.properties.title = _("Report to the Region: %(period)s", period=words.period_name(report.period))
    wb.properties.created = wb.properties.modified = utc_now().replace(tzinfo=None)
    _summary(wb, report)
    _line_sheet(wb, report, _("Line 1 - services"), lambda s: s not in linea2.LINE_2)
    _linea2_blocks(_line_sheet(wb, report, _("Line 2 - contributions"), lambda s: s in linea2.LINE_2), report)
    _indicators_sheet(wb, report)
    _costs_sheet(wb, report)
    _activity_sheet(wb, report)
    _sources_sheet(wb, report)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
