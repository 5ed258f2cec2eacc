"""Linea 2 of the call (heating contributions), season by season: per building and per quartiere.

Each programme season's figures are the heating indicators computed for that season (money paid or
recovered for it, whenever credited); a closed period keeps them as they were at its close.
"""
from flask_babel import lazy_gettext as _l

from fieldapp.governance.compose import figures
from fieldapp.indicators import periods

# The columns of a season's table: (indicator code, heading).
COLUMNS = (
    ("heating.eligible", _l("Households eligible")),
    ("heating.computed", _l("Contributions computed")),
    ("heating.computed_eur", _l("Computed, EUR")),
    ("heating.approved", _l("Contributions approved")),
    ("heating.approved_eur", _l("Approved, EUR")),
    ("heating.contributions_eur", _l("Paid, EUR")),
    ("heating.recovered_eur", _l("Recovered, EUR")),
)
LINE_2 = ("heating",)


def seasons_of(period):
    """The programme's seasons a report of `period` shows: that season, or every season begun by its end."""
    if period.kind == "season":
        return [period]
    return [s for s in periods.calendar_seasons() if s.start < period.end]


def season_figures(db, period):
    """{season key: {(code, by, key): value}} of the Linea 2 indicators, computed now."""
    return {season.key: figures(db, season, lambda i: i.service in LINE_2) for season in seasons_of(period)}


def frozen(stored):
    """Season figures from a snapshot's JSON ([[code, by, key, value], ...] per season)."""
    return {season: {(c, b, k): v for c, b, k, v in rows} for season, rows in (stored or {}).items()}


def to_json(found):
    return {season: [[c, b, k, v] for (c, b, k), v in values.items()] for season, values in found.items()}


def table(values, by, labels):
    """Rows [name, value per column...] of one season split by `by` (building or quartiere), and the total row."""
    keys = sorted({k for (c, b, k) in values if b == by}, key=lambda k: labels.get(k, k))
    rows = [[labels.get(k, str(_l("(none)")) if k == "" else str(_l("other"))),
             *[values.get((code, by, k), 0) for code, _heading in COLUMNS]] for k in keys]
    total = [str(_l("Total")), *[values.get((code, "", ""), 0) for code, _heading in COLUMNS]]
    return rows, total
