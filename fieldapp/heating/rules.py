"""The contribution rules as pure Decimal arithmetic, so every euro can be recomputed from its inputs."""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
MIN_VOLUNTARY_SHARE = Decimal("0.5")  # D.Lgs 102/2014 art. 9 c.5 d
# Bump a rule's version whenever its arithmetic changes: stored contributions name the version used.
RULES = {"A": "1", "B": "1"}


def cents(amount):
    """Euros (Decimal) to integer cents, rounded half up: the one rounding of a computation."""
    return int((amount / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def euros(value):
    """Integer cents to a Decimal of euros (None stays None)."""
    return None if value is None else Decimal(value) / 100


def building_cost(mwh, eur_per_mwh, fixed_eur):
    """C = MWh x EUR/MWh + fixed EUR (space heating only)."""
    return mwh * eur_per_mwh + fixed_eur


def flat_cost(cost, alpha, millesimi, total_millesimi, units, total_units, day_share=Decimal(1)):
    """S = (1 - a) C m / sum(m) x day share + a C units / sum(units): a household's share of the bill.

    `day_share` splits a flat's millesimi share between the households that lived there in the season.
    """
    fixed = (1 - alpha) * cost * millesimi / total_millesimi * day_share
    voluntary = alpha * cost * units / total_units if total_units else ZERO
    return fixed, voluntary


def allowed_units(units, previous_units, degree_days, previous_degree_days):
    """Rule B: the units capped at u(s-1) x GG(s) / GG(s-1)."""
    cap = previous_units * degree_days / previous_degree_days
    return min(units, cap)


def contribution(current, previous, days, previous_days, solidarity=ZERO):
    """max(0, S(s) - S(s-1) x d(s) / d(s-1)), less the solidarity already paid; (raw, deducted, net)."""
    raw = max(ZERO, current - previous * Decimal(days) / Decimal(previous_days))
    deducted = min(solidarity, raw)
    return raw, deducted, raw - deducted
