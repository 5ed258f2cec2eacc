"""The report to the Region's PDF summary, in Italian: every figure with its unit in words."""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from fieldapp.clock import local_zone, utc_now
from fieldapp.governance import costs, linea2, region, words
from fieldapp.pdf import document, latin1

WIDTHS = (86, 34, 34, 36)  # indicator, in the period, since the start, target


def summary(report):
    """The Italian summary as PDF bytes; its creation date comes from the app's clock."""
    with force_locale("it"):
        return _summary(report)


def _plain(text):
    return latin1("-" if text is None else text)


def _with_unit(value, meta):
    """A figure with its unit when the unit is a sign (EUR, %); a count's noun goes with the indicator's name."""
    return "-" if value is None else words.number(value, meta["unit"])


def _named(meta):
    return meta["name"] if meta["unit"] in ("eur", "percent") else f"{meta['name']} ({words.unit(meta)})"


def _heading(doc, text, size=12):
    doc.ln(3)
    doc.set_font("Helvetica", "B", size)
    doc.multi_cell(0, 7, _plain(text), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 9)


def _row(doc, cells, bold=False):
    doc.set_font("Helvetica", "B" if bold else "", 9)
    for width, text in zip(WIDTHS, cells, strict=False):
        doc.cell(width, 5.5, _plain(text)[:60 if width > 40 else 24], align="L" if width > 40 else "R")
    doc.ln(5.5)


def _line(doc, report, title, in_line):
    _heading(doc, title)
    _row(doc, [_("Indicator"), _("In the period"), _("Since the start"), _("Target (achieved)")], bold=True)
    shown = [m for m in report.indicators if in_line(m["service"])]
    for meta in shown:
        found = region.target(report, meta)
        goal = "-"
        if found:
            goal = _with_unit(found[0], meta) + (f" ({words.number(found[2], 'percent')})" if found[2] is not None
                                                 else "")
        _row(doc, [_named(meta), _with_unit(report.totals.get(meta["code"]), meta),
                   _with_unit(report.totals_to_date.get(meta["code"]), meta), goal])
    if not shown:
        doc.cell(0, 6, _plain(_("No indicator for this line yet.")), new_x="LMARGIN", new_y="NEXT")


def _seasons(doc, report):
    rules = report.settings.get("heating_rules") or {}
    names = dict(linea2.COLUMNS)
    for key, values in report.seasons().items():
        rule = rules.get(key)
        _heading(doc, _("Heating season %(key)s: rule %(rule)s", key=key, rule=rule[0] if rule else "-"), 10)
        for code in ("heating.eligible", "heating.computed_eur", "heating.approved_eur", "heating.contributions_eur",
                     "heating.recovered_eur"):
            unit = "eur" if code.endswith("_eur") else "count"
            doc.cell(120, 5, _plain(str(names[code])))
            doc.cell(0, 5, _plain(words.number(values.get((code, "", ""), 0), unit)), align="R",
                     new_x="LMARGIN", new_y="NEXT")


def _costs(doc, report):
    rates = {k: int(v) for k, v in (report.settings.get("rates") or {}).items()}
    _heading(doc, _("Costs"))
    staff = costs.staff(report.activity, rates)
    since = costs.staff(report.activity_to_date, rates)
    hours = sum(r["minutes"] for r in staff) / 60
    estimated = sum(r["estimated_minutes"] for r in staff) / 60
    notional = [r["cost"] for r in staff if r["cost"] is not None]
    notional_since = [r["cost"] for r in since if r["cost"] is not None]
    eur = {"unit": "eur"}
    lines = [
        (_("Line 1: staff hours (of which estimated)"),
         _("hours: %(hours)s (estimated: %(estimated)s)", hours=words.number(hours, "hours"),
           estimated=words.number(estimated, "hours"))),
        (_("Line 1: notional cost of those hours (flat rate), in the period and since the start"),
         f"{_with_unit(sum(notional) / 100 if notional else None, eur)} / "
         f"{_with_unit(sum(notional_since) / 100 if notional_since else None, eur)}"),
        (_("Line 1: interventions of the contracted firms, actual"),
         f"{_with_unit(report.totals.get('interventions.cost'), eur)} / "
         f"{_with_unit(report.totals_to_date.get('interventions.cost'), eur)}"),
        (_("Line 2: heating contributions paid, actual"),
         f"{_with_unit(report.totals.get('heating.contributions_eur'), eur)} / "
         f"{_with_unit(report.totals_to_date.get('heating.contributions_eur'), eur)}"),
    ]
    for label, value in lines:
        doc.multi_cell(120, 5, _plain(label), new_x="RIGHT", new_y="TOP")
        doc.multi_cell(0, 5, _plain(value), align="R", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "I", 8)
    doc.multi_cell(0, 4, _plain(_("Line 1 is funded as a flat rate (quota forfettaria): staff hours times the hourly "
                                  "rate are a notional cost for the programme's own reading, not eligible "
                                  "expenditure to be accounted for.")), new_x="LMARGIN", new_y="NEXT")


def _activity(doc, report):
    _heading(doc, _("Staff activity by role and service"))
    for row in costs.staff(report.activity, {}):
        doc.cell(120, 5, _plain(words.role(row["role"])))
        doc.cell(0, 5, _plain(_("records: %(n)s, hours: %(hours)s", n=row["records"],
                                hours=words.number(row["minutes"] / 60, "hours"))), align="R",
                 new_x="LMARGIN", new_y="NEXT")


def _summary(report):
    period = report.period
    title = _("Report to the Region: %(period)s", period=words.period_name(period))
    doc = document()
    doc.set_creation_date(utc_now())
    doc.set_creator("Cortile")
    doc.set_title(_plain(title))
    doc.add_page()
    doc.set_font("Helvetica", "B", 15)
    doc.multi_cell(0, 8, _plain(title), new_x="LMARGIN", new_y="NEXT")
    if report.provisional and period.kind not in ("season", "project"):
        doc.set_text_color(180, 0, 0)
        doc.set_font("Helvetica", "B", 20)
        doc.cell(0, 12, _plain(_("PROVISIONAL")), new_x="LMARGIN", new_y="NEXT")
        doc.set_text_color(0, 0, 0)
    doc.set_font("Helvetica", "", 10)
    for line in (_("Period: %(span)s. Project: %(project)s.", span=words.span(period), project=words.project_span()),
                 region.status(report)):
        doc.multi_cell(0, 6, _plain(line), new_x="LMARGIN", new_y="NEXT")
    _line(doc, report, _("Line 1 - services"), lambda s: s not in linea2.LINE_2)
    _line(doc, report, _("Line 2 - contributions"), lambda s: s in linea2.LINE_2)
    _seasons(doc, report)
    _costs(doc, report)
    _activity(doc, report)
    doc.ln(3)
    doc.set_font("Helvetica", "I", 9)
    standards = current_app.config["STANDARD_DURATION_MINUTES"]
    doc.multi_cell(0, 5, _plain(_("Staff activity is counted per role and service, never per named worker "
                                  "(L. 300/1970 art. 4); visits and arrears contacts without a duration count "
                                  "%(visit)s and %(contact)s minutes, estimated. Sources and every disaggregation "
                                  "are in the XLSX workbook of the same period.",
                                  visit=standards.get("visits", 0), contact=standards.get("arrears_contacts", 0))),
                   new_x="LMARGIN", new_y="NEXT")
    created = utc_now().astimezone(local_zone()).strftime("%d/%m/%Y %H:%M")
    doc.multi_cell(0, 5, _plain(_("Created on %(when)s", when=created)), new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())
