"""What other parts may read of the heating area: money paid and recovered, from the ledger.

Every function returns integer cents (exact; turn them into EUR once, at the end), as
`{None: total}`, and with `by` also `{key: cents}` per "building" (its code), "household" (its code) or
"season". Paid is net: payments less recoveries; recovered is the recoveries alone, as a positive sum.
A recomputation changes what is computed, never these figures: they move only when an act is credited.
"""
from fieldapp.heating import ledger_queries

__all__ = ["computed_unpaid", "paid_between", "paid_by_season", "recovered_by_season"]


def paid_by_season(season, by=None):
    """Net money paid for the heating season `season` ("2024-25"), whenever it was credited."""
    return ledger_queries.totals("l.amount_cents", "l.season = ?", [season], by=by)


def recovered_by_season(season, by=None):
    """Money recovered (or to recover) for the season: the recovery entries, as a positive sum."""
    return ledger_queries.totals("-l.amount_cents", "l.season = ? AND l.kind = 'recovery'", [season], by=by)


def paid_between(start, end, by=None):
    """Net money by credit date: entries credited on days from `start` (included) to `end` (excluded),
    ISO dates or `date`s, whatever their season (by="season" splits them)."""
    return ledger_queries.totals("l.amount_cents", "l.credited_on >= ? AND l.credited_on < ?",
                                 [str(start), str(end)], by=by)


def computed_unpaid(season, by=None):
    """What the season's latest version computes beyond what the ledger holds (positive differences only:
    money still to pay once its act is credited)."""
    return ledger_queries.unpaid(season, by=by)
