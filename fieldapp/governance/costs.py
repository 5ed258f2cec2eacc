"""What the programme cost, by action line: staff hours by role at the coordinator's rates (a notional cost,
Linea 1 being funded as a flat rate), the interventions' actual costs, the heating contributions paid."""
from collections import defaultdict


def cents_for(minutes, cents_per_hour):
    """minutes x rate, in whole cents, rounded half up once."""
    return (minutes * cents_per_hour * 2 + 60) // 120


def staff(activity, rates):
    """Per role: records, hours (of which estimated), rate and cost in cents (of which estimated); None without a
    rate."""
    found = defaultdict(lambda: {"records": 0, "minutes": 0, "estimated_minutes": 0})
    for row in activity:
        into = found[row["role"]]
        for key in ("records", "minutes", "estimated_minutes"):
            into[key] += row.get(key) or 0
    out = []
    for role, row in sorted(found.items()):
        rate = rates.get(role)
        out.append({"role": role, **row, "rate": rate,
                    "cost": None if rate is None else cents_for(row["minutes"], rate),
                    "estimated_cost": None if rate is None else cents_for(row["estimated_minutes"], rate)})
    return out


def total(rows, key):
    return sum(r[key] or 0 for r in rows)
