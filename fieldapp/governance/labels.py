"""How a period is named to a person: "Novembre 2026", "Trimestre 4 del 2026", "Stagione di riscaldamento 2025-26"."""
from datetime import timedelta
from decimal import Decimal

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _


def period_label(period, dates=True):
    """A period as a heading names it; `dates=False` for a sentence: "Project year 1", "the project to date"."""
    if period.kind == "month":
        return format_date(period.start, "MMMM yyyy").capitalize()
    if period.kind == "quarter":
        return _("Quarter %(number)s of %(year)s", number=period.key[-1], year=period.start.year)
    if period.kind == "season":
        return _("Heating season %(key)s", key=period.key)
    if period.kind == "project":
        if not dates:
            return _("The project to date")
        return _("Project to date (%(start)s to %(end)s)", start=format_date(period.start, "short"),
                 end=format_date(period.last, "short"))
    if not dates:
        return _("Project year %(number)s", number=period.key[2:])
    return _("Project year %(number)s (%(start)s to %(end)s)", number=period.key[2:],
             start=format_date(period.start, "short"), end=format_date(period.end - timedelta(days=1), "short"))


def figure(value, unit, money="EUR", missing="-"):
    """A figure in Italian writing: "1.234", "90,7 %", "525.664,20 EUR" (or with € on screens), "12,5"."""
    if value is None:
        return missing
    if unit == "eur":
        return f"{format_decimal(Decimal(str(value)), format='#,##0.00')} {money}"
    if unit == "percent":
        return f"{format_decimal(value, format='#,##0.0')} %"
    return format_decimal(value, format="#,##0.#")
