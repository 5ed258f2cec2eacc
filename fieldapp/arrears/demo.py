"""24 months of invented ledger for the 558 demo flats, plans in every status and one case conference.

Each household ends in the band the registry demo gave it (34.2% over 500 EUR, 25% in (0, 2,000]).
Months go through the real import code, so flags, cases and plan reconciliation are the app's own.
"""
from datetime import timedelta

from fieldapp.arrears import agenda, queries, rules, store
from fieldapp.clock import local_today

MONTHS = 24
TARGETS = {"none": (0, 0), "upto_500": (5_000, 50_000), "500_2000": (50_100, 200_000),
           "over_2000": (200_100, 600_000)}


def _path(rng, band, charge):
    """Month-end balances (cents) ending in `band`."""
    low, high = TARGETS[band]
    if band == "none":
        path = [0] * MONTHS
        if rng.random() < 0.15:  # an old episode, caught up since
            start = rng.randint(3, 16)
            for month in range(start, start + rng.randint(1, 3)):
                path[month] = charge * (month - start + 1)
        return path
    target = rng.randint(low, high)
    start = {"upto_500": rng.randint(12, 21), "500_2000": rng.randint(2, 16), "over_2000": 0}[band]
    begin = int(target * rng.uniform(0.4, 0.8)) if band == "over_2000" else 0
    path = []
    for month in range(MONTHS):
        if month < start:
            path.append(begin if band == "over_2000" else 0)
        else:
            share = (month - start + 1) / (MONTHS - start)
            path.append(int(begin + (target - begin) * share))
    path[-1] = target
    return path


def _months(path, charge, rng):
    rows, previous = [], 0
    for balance in path:
        charged = charge + rng.choice([0, 0, 0, 1_500, 3_000])
        paid = charged + previous - balance
        if paid < 0:
            charged, paid = charged - paid, 0
        rows.append((charged, paid, balance))
        previous = balance
    return rows


def _plan_path(rng, kind, charge):
    """A household with a 12 x 150 EUR plan started 6 months ago (or 3 x 100 EUR, completed)."""
    debt = 30_000 if kind == "completed" else 180_000
    missed = {"active": set(), "late": {MONTHS - 1}, "broken": {MONTHS - 4, MONTHS - 2}, "completed": set()}[kind]
    path, balance = [], 0
    for month in range(MONTHS):
        if month < MONTHS - 9:
            balance = 0
        elif month < MONTHS - 6:
            balance = debt * (month - (MONTHS - 10)) // 3
        elif month not in missed:
            balance = max(0, balance - debt // (3 if kind == "completed" else 12))
        else:
            pass  # only the current charges paid: the instalment is missed
        path.append(balance)
    return path


def load(db, rng):
    today = local_today()
    last = rules.add_months(today.strftime("%Y-%m"), -1)
    periods = [rules.add_months(last, -(MONTHS - 1 - n)) for n in range(MONTHS)]
    households = list(db.query("SELECT id, code, arrears_band, tutor_id FROM households ORDER BY id"))
    by_band = {}
    for household in households:
        by_band.setdefault(household["arrears_band"], []).append(household)
    plan_kinds = {by_band["500_2000"][0]["id"]: "active", by_band["500_2000"][1]["id"]: "late",
                  by_band["500_2000"][2]["id"]: "broken", by_band["none"][0]["id"]: "completed"}
    ledger = {}
    for household in households:
        charge = rng.randint(12_000, 38_000)
        kind = plan_kinds.get(household["id"])
        path = _plan_path(rng, kind, charge) if kind else _path(rng, household["arrears_band"], charge)
        ledger[household["id"]] = (household["code"], _months(path, charge, rng))
    team = db.execute("SELECT id FROM users WHERE username = 'equipe'").fetchone()[0]
    settings = {"min": 2_000, "max": 24, "due_day": 10, "grace_days": 5}
    plan_start = periods[MONTHS - 6]
    for index, period in enumerate(periods):
        if period == plan_start:
            _plans(db, plan_kinds, ledger, index, period, settings, team)
        rows = [{"household_id": h, "code": code, "period": period, "charged": m[index][0], "paid": m[index][1],
                 "credits": None, "balance": m[index][2]} for h, (code, m) in ledger.items()]
        store._store_period(db, period, rows, "demo", team)
    store.sync_bands(db, periods[0])
    proposed = by_band["500_2000"][3]["id"]
    schedule, why = rules.plan_schedule(ledger[proposed][1][-1][2], 0, 10, None,
                                        rules.add_months(today.strftime("%Y-%m"), 1), settings)
    queries.create_plan(proposed, {"debt": why["debt"], "down_payment": 0, "instalments": 10,
                                   "start_period": why["start_period"], "due_day": 10, "grace_days": 5},
                        schedule, why, team)
    _contacts(db, rng, team, today)
    conference = _conference(db, team, today, by_band)
    plans = dict(db.execute("SELECT status, COUNT(*) FROM repayment_plans GROUP BY status").fetchall())
    return [f"Arrears: {MONTHS} months of ledger ({periods[0]} to {last}), plans {plans}, conference {conference}."]


def _plans(db, plan_kinds, ledger, index, period, settings, team):
    for household_id, kind in plan_kinds.items():
        debt = ledger[household_id][1][index - 1][2]
        count = 3 if kind == "completed" else 12
        schedule, why = rules.plan_schedule(debt, 0, count, None, period, settings)
        plan_id = queries.create_plan(household_id, {"debt": debt, "down_payment": 0, "instalments": count,
                                                     "start_period": period, "due_day": 10, "grace_days": 5},
                                      schedule, why, team)
        db.execute("UPDATE repayment_plans SET status = 'active' WHERE id = ?", [plan_id])
        queries.ensure_case(db, household_id, team)
        db.execute("UPDATE arrears_cases SET stage = 'plan', cause = 'cassa_integrazione' WHERE household_id = ?",
                   [household_id])


def _contacts(db, rng, team, today):
    """Most open cases were contacted recently; some are waiting (they feed the conference agenda)."""
    cases = list(db.query("SELECT household_id, flagged_at, stage FROM arrears_cases ORDER BY household_id"))
    channels, outcomes = ["phone", "phone", "office", "visit", "letter"], ["reached", "appointment", "promise",
                                                                          "no_answer"]
    causes = ["job_loss", "cassa_integrazione", "income_drop", "unexpected_expense", "budgeting", "illness_death"]
    for case in cases:
        if rng.random() < 0.12:
            continue
        day = today - timedelta(days=rng.randint(1, 28))
        db["arrears_contacts"].insert({"household_id": case["household_id"], "contacted_on": day.isoformat(),
                                       "channel": rng.choice(channels), "outcome": rng.choice(outcomes),
                                       "note": None, "created_at": day.isoformat() + "T09:00:00Z",
                                       "created_by": team})
        if case["stage"] == "flagged":
            db.execute("UPDATE arrears_cases SET stage = 'contacted', cause = ?, owner_id = ? WHERE household_id = ?",
                       [rng.choice(causes), team, case["household_id"]])


def _conference(db, team, today, by_band):
    held_on = today - timedelta(days=14)
    items = agenda.agenda(held_on, {"balance": 150_000, "no_contact_days": 30})
    items = dict(sorted(items.items())[:6])
    conference_id = agenda.create_conference(held_on.isoformat(), items, team)
    for number, row in enumerate(agenda.items(conference_id)):
        if number >= 4:
            break
        decision = ["tutor_visit", "reminder", "solidarity", "monitor"][number]
        due = (today + timedelta(days=7 + number * 7)).isoformat()
        agenda.decide(row, decision, team, due, team, visit_assignee=row["tutor_id"])
    return held_on.isoformat()
