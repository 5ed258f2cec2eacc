"""What other parts may read of heating contributions: each season's rule, and money paid and recovered.

Amounts are integer cents per building id. Money "for a season" counts what was paid for it whenever it
was credited; money "between two days" counts what was credited in them (local days, [since, until)).
"""
from fieldapp.clock import utc_start_of
from fieldapp.db import get_db
from fieldapp.heating.vocab import RULES


def credited(where="1", params=()):
    """{building id: cents} credited to tenants, from the contributions marked credited.

    STAND-IN for the payments ledger (issue 23): until the append-only ledger lands, money paid is the
    amount of each contribution in status 'credited', on the day it was marked so (its updated_at).
    The ledger replaces this one function; every figure of paid money reads through it.
    """
    return dict(get_db().execute(
        f"""SELECT u.building_id, SUM(c.amount_cents) FROM heating_contributions c JOIN units u ON u.id = c.unit_id
            WHERE c.status = 'credited' AND c.amount_cents IS NOT NULL AND {where} GROUP BY u.building_id""",
        list(params)).fetchall())


def paid_by_season(season):
    """{building id: cents} paid for a season, whenever credited."""
    return credited("c.season = ?", [season])


def paid_between(since, until):
    """{building id: cents} credited between two local days (a UTC timestamp compares with their midnights)."""
    return credited("c.updated_at >= ? AND c.updated_at < ?", [utc_start_of(since), utc_start_of(until)])


def recovered_by_season(season):
    """{building id: cents} recovered for a season: nothing before the ledger records recoveries."""
    return {}


def recovered_between(since, until):
    """{building id: cents} recovered between two local days: nothing before the ledger records recoveries."""
    return {}


def season_rules():
    """{season: (rule, rule version)} of each season's latest computed version."""
    return {r["season"]: (r["rule"], r["rule_version"]) for r in get_db().query(
        """SELECT v.season, v.rule, v.rule_version FROM heating_versions v
           WHERE v.version = (SELECT MAX(version) FROM heating_versions w WHERE w.season = v.season)""")}


__all__ = ["RULES", "credited", "paid_between", "paid_by_season", "recovered_between", "recovered_by_season",
           "season_rules"]
