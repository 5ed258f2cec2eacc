"""What other parts may read of the heating area: each season's rule, and money paid and recovered.

Money functions return integer cents as `{None: total}` and, with `by`, `{key: cents}` per "building"
(its code), "household" (its code) or "season". Money "for a season" counts what was paid for it
whenever it was credited; money "between two days" counts what was credited on them ([start, end)).
"""
from fieldapp.db import get_db
from fieldapp.heating.vocab import RULES

_KEYS = {"building": "b.code", "household": "c.household_code", "season": "c.season"}


def credited(where, params, by=None):
    """Cents credited to tenants, from the contributions marked credited.

    STAND-IN for the payments ledger (issue 23): until the append-only ledger lands, money paid is the
    amount of each contribution in status 'credited', on the day it was marked so (its updated_at, a UTC
    timestamp compared by its date). The ledger's api replaces this one function; every figure of money
    paid reads through it, with the ledger's signatures (paid_by_season, paid_between, recovered_by_season).
    """
    if by is not None and by not in _KEYS:
        raise ValueError(f"no grouping {by!r}: use one of {', '.join(_KEYS)}")
    source = """FROM heating_contributions c JOIN units u ON u.id = c.unit_id JOIN buildings b ON b.id = u.building_id
        WHERE c.status = 'credited' AND c.amount_cents IS NOT NULL AND """ + where
    db = get_db()
    out = {}
    if by is not None:
        out = dict(db.execute(f"SELECT {_KEYS[by]}, SUM(c.amount_cents) {source} GROUP BY 1 ORDER BY 1", params))
    out[None] = db.execute(f"SELECT COALESCE(SUM(c.amount_cents), 0) {source}", params).fetchone()[0]
    return out


def paid_by_season(season, by=None):
    """Money paid for the heating season `season` ("2024-25"), whenever it was credited."""
    return credited("c.season = ?", [season], by=by)


def paid_between(start, end, by=None):
    """Money by credit date: credited on days from `start` (included) to `end` (excluded), ISO dates or dates."""
    return credited("substr(c.updated_at, 1, 10) >= ? AND substr(c.updated_at, 1, 10) < ?", [str(start), str(end)],
                    by=by)


def recovered_by_season(season, by=None):
    """Money recovered for a season: none before the ledger records recoveries."""
    return {None: 0}


def recovered_between(start, end, by=None):
    """Money recovered by credit date: none before the ledger records recoveries."""
    return {None: 0}


def season_rules():
    """{season: (rule, rule version)} of each season's latest computed version."""
    return {r["season"]: (r["rule"], r["rule_version"]) for r in get_db().query(
        """SELECT v.season, v.rule, v.rule_version FROM heating_versions v
           WHERE v.version = (SELECT MAX(version) FROM heating_versions w WHERE w.season = v.season)""")}


__all__ = ["RULES", "credited", "paid_between", "paid_by_season", "recovered_between", "recovered_by_season",
           "season_rules"]
