"""Small SQL helpers the areas' indicator functions share: grouping keys, the reader's scope, medians."""
from datetime import timedelta

from fieldapp.db import get_db

# How a disaggregation groups records that reach a building through the alias `b`.
# "building" is not offered as a disaggregation: the dashboard's map asks for it.
BUILDING_KEYS = {"quartiere": "b.quartiere_id", "presidio": "b.presidio_code", "pilot_area": "b.pilot_area",
                 "building": "b.id"}


def scope_sql(scope, column="b.presidio_code"):
    """(" AND column IN (...)", params) for the reader's presidio codes; nothing when scope is None."""
    if scope is None:
        return "", []
    codes = list(scope)
    if not codes:
        return " AND 0", []
    return f" AND {column} IN ({', '.join('?' * len(codes))})", codes


def key(value):
    """A disaggregation key as text ('' for records with none): snapshots store keys as text."""
    return "" if value is None else str(value)


def tally(expr, source, where, params, by=None, keys=None, scope=None, scope_column="b.presidio_code"):
    """{None: total} plus, with `by`, {key: value}: `SELECT expr FROM source WHERE where`, grouped."""
    keys = {**BUILDING_KEYS, **(keys or {})}
    extra, extra_params = scope_sql(scope, scope_column)
    db = get_db()
    if by is not None and by not in keys:
        raise ValueError(f"no disaggregation {by!r} here")
    out = {}
    if by is not None:
        for group, value in db.execute(
                f"SELECT {keys[by]} AS k, {expr} FROM {source} WHERE {where}{extra} GROUP BY k",
                [*params, *extra_params]):
            out[key(group)] = value or 0
    if by is not None and "DISTINCT" not in expr.upper():
        # A count or a sum: the total is the sum of the groups, no second pass over the records.
        out[None] = sum(out.values())
    else:
        total = db.execute(f"SELECT {expr} FROM {source} WHERE {where}{extra}", [*params, *extra_params]).fetchone()[0]
        out[None] = total or 0
    return out


def median(values):
    """The median of a list of numbers (None when empty), one decimal."""
    values = sorted(values)
    if not values:
        return None
    middle = len(values) // 2
    found = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    return round(found, 1)


def medians(rows, by):
    """{None: median of all, key: median of its group} from (key, value) rows."""
    groups = {}
    for group, value in rows:
        groups.setdefault(key(group), []).append(value)
    out = {None: median([v for values in groups.values() for v in values])}
    if by is not None:
        out.update({k: median(v) for k, v in groups.items()})
    return out


def last_day(period):
    """The period's last local day (its end is exclusive)."""
    return period.end - timedelta(days=1)
