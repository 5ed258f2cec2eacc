"""How a period is named to a person: "Novembre 2026", "Trimestre 4 del 2026", "Stagione di riscaldamento 2025-26"."""
from datetime import timedelta

from flask_babel import format_date
from flask_babel import gettext as _


def period_label(period):
    if period.kind == "month":
        return format_date(period.start, "MMMM yyyy").capitalize()
    if period.kind == "quarter":
        return _("Quarter %(number)s of %(year)s", number=period.key[-1], year=period.start.year)
    if period.kind == "season":
        return _("Heating season %(key)s", key=period.key)
    if period.kind == "project":
        return _("Project to date (%(start)s to %(end)s)", start=format_date(period.start, "short"),
                 end=format_date(period.last, "short"))
    return _("Project year %(number)s (%(start)s to %(end)s)", number=period.key[2:],
             start=format_date(period.start, "short"), end=format_date(period.end - timedelta(days=1), "short"))
