"""The arithmetic of the arrears team: bands, months due, trend, plans and their reconciliation."""
import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from fieldapp.arrears.vocab import BAND_ORDER, EARLY_BANDS

PLAN_RULE = "plan-2026.1"
SOLIDARITY_RULE = "lr16-2016-art25-2026.1"


def band(balance, limits):
    """The band of a month-end balance in cents; limits are the (0, low] and (low, high] edges."""
    low, high = limits
    if balance <= 0:
        return "none"
    if balance <= low:
        return "upto_500"
    return "500_2000" if balance <= high else "over_2000"


def rank(band_code):
    return BAND_ORDER.index(band_code)


def months_due(balance, charged):
    """How many months of charges the debt amounts to, rounded up (0 when nothing is owed)."""
    if balance <= 0:
        return 0
    if charged <= 0:
        return 1
    return -(-balance // charged)


def flags(current, previous, first_import):
    """Flags for one household's month: `current`/`previous` are dicts with band and months_due."""
    result = []
    if previous is None:
        if first_import and current["band"] in EARLY_BANDS:
            result.append("entered_early")
        return result
    if current["band"] in EARLY_BANDS and previous["band"] == "none":
        result.append("entered_early")
    elif rank(current["band"]) > rank(previous["band"]):
        result.append("moved_up")
    if current["months_due"] >= 1 and previous["months_due"] == 0:
        result.append("first_missed")
    return result


def trend(balances, tolerance):
    """'up', 'down', 'stable' from the oldest to the newest of the last months' balances."""
    if len(balances) < 2:
        return "unknown"
    change = balances[-1] - balances[0]
    if abs(change) <= tolerance:
        return "stable"
    return "up" if change > 0 else "down"


def add_months(period, months):
    year, month = map(int, period.split("-"))
    index = year * 12 + month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def period_end(period):
    year, month = map(int, period.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


def due_date(period, day):
    year, month = map(int, period.split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def cents(amount):
    """A Decimal amount in EUR as integer cents, rounded half up once."""
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


class PlanError(ValueError):
    """A plan that the rules refuse; the message says why."""


def plan_schedule(debt, down_payment, instalments, instalment_amount, start_period, settings):
    """The instalments of a plan, or PlanError. Amounts in cents; equal ones, the last takes the rest.

    Returns (schedule [(number, due_on, amount)], explanation dict for the "why" view).
    """
    minimum, maximum = settings["min"], settings["max"]
    if debt <= 0:
        raise PlanError("no_debt")
    if down_payment < 0 or down_payment >= debt:
        raise PlanError("down_payment")
    rest = debt - down_payment
    most = max(1, min(maximum, rest // minimum))
    if not 1 <= instalments <= maximum:
        raise PlanError("too_many")
    if instalments > most:
        raise PlanError("under_minimum")
    if instalment_amount is not None:
        if instalment_amount < minimum:
            raise PlanError("under_minimum")
        if instalment_amount * instalments != rest:
            raise PlanError("does_not_add_up")
        amounts = [instalment_amount] * instalments
    else:
        base = int((Decimal(rest) / instalments).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
        amounts = [base] * (instalments - 1) + [rest - base * (instalments - 1)]
        if min(amounts) < minimum:
            raise PlanError("under_minimum")
    schedule = [(n + 1, due_date(add_months(start_period, n), settings["due_day"]).isoformat(), amount)
                for n, amount in enumerate(amounts)]
    why = {"debt": debt, "down_payment": down_payment, "rest": rest, "requested": instalments,
           "max_instalments": maximum, "min_instalment": minimum, "most_allowed": most,
           "amounts": sorted(set(amounts)), "last": amounts[-1], "start_period": start_period,
           "due_day": settings["due_day"], "grace_days": settings["grace_days"]}
    return schedule, why


def reconcile(schedule, down_payment, months, grace_days, broken_after, was_broken=False):
    """A plan's state from the ledger months since it started (cumulative, so catching up counts).

    `months` [(period, charged, paid)] from the plan's start period; schedule [(number, due_on, amount)].
    An instalment is covered while total paid covers total charged + down payment + the instalments
    before it and itself. One is due once its date plus the grace days falls within an imported month.
    Returns dict(status, covered, missed, next_due).
    """
    if not months:
        return {"status": "active", "covered": 0, "missed": 0, "next_due": schedule[0][1] if schedule else None}
    last_period = months[-1][0]
    surplus = sum(paid - charged for _period, charged, paid in months) - down_payment
    covered = 0
    for _number, _due, amount in schedule:
        if surplus < amount:
            break
        surplus -= amount
        covered += 1
    horizon = period_end(last_period)
    due = sum(1 for _n, due_on, _a in schedule
              if date.fromisoformat(due_on) + timedelta(days=grace_days) <= horizon)
    missed = max(0, due - covered)
    if covered >= len(schedule):
        status = "completed"
    elif was_broken or missed >= broken_after:
        status = "broken"
    elif missed:
        status = "late"
    else:
        status = "active"
    next_due = schedule[covered][1] if covered < len(schedule) else None
    return {"status": status, "covered": covered, "missed": missed, "next_due": next_due}


def solidarity(isee, months_assigned, settings):
    """The L.R. 16/2016 art. 25 check: ISEE under the ceiling and assigned long enough."""
    reasons = []
    if isee >= settings["isee_max"]:
        reasons.append("isee")
    if months_assigned < settings["min_months"]:
        reasons.append("months")
    return {"eligible": not reasons, "reasons": reasons, "rule_version": SOLIDARITY_RULE, **settings}
