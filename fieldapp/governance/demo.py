"""Demo of governance: ALER coordination (three reports passed to ALER, one in each of its states), and the
coordinator's targets per project year and hourly rates per role."""
from datetime import timedelta

from fieldapp import clock

# (days ago: filed, verified, passed, taken, resolved; status, category, area, description)
PASSED = [
    ((9, 8, 7, None, None), "with_aler", "damage", "roof", "Infiltrazione d'acqua dal tetto nel vano scala."),
    ((21, 20, 18, 15, None), "aler_taken", "other", "stairs", "Luce delle scale guasta al terzo piano."),
    ((45, 44, 40, 37, 30), "resolved", "damage", "entrance", "Portone d'ingresso che non si chiude."),
]


# Invented targets per project year (PY3 is the three months to the end of 2026).
TARGETS = {
    "households.reached": (250, 350, 350), "visits.by_kind": (400, 900, 250), "followups.on_time": (85, 85, 85),
    "meetings.count": (20, 30, 8), "interventions.done": (6, 12, 4), "arrears.contacts": (100, 160, 40),
    "pacts.in_force": (1, 2, 2), "heating.eligible": (172, 172, None), "heating.contributions": (160, 170, None),
    "heating.contributions_eur": (30000, 30000, None),
}
# Invented hourly costs per role, in cents (the notional cost of Linea 1's hours).
RATES = {"tutor": 2600, "operator": 2800, "community": 3200, "coordinator": 3500, "equipe": 3000, "educator": 2700}


def _at(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def load(db, rng):
    """The coordinator's targets and rates, and the ALER reports."""
    coordinator = next(db.query("SELECT id FROM users WHERE role = 'coordinator' ORDER BY id LIMIT 1"), None)
    stamp = clock.now()
    db["indicator_targets"].insert_all(
        {"indicator_code": code, "period_key": f"PY{n}", "value": value, "updated_at": stamp,
         "updated_by": coordinator and coordinator["id"]}
        for code, values in TARGETS.items() for n, value in enumerate(values, start=1) if value is not None)
    db["staff_rates"].insert_all({"role": role, "cents_per_hour": cents, "updated_at": stamp,
                                  "updated_by": coordinator and coordinator["id"]} for role, cents in RATES.items())
    return _aler(db) + [f"Governance: targets for {len(TARGETS)} indicators, hourly rates for {len(RATES)} roles."]


def _aler(db):
    """Adds its own reports (never changes the reports area's): other areas' figures stay as they were."""
    buildings = list(db.query("SELECT id, lat, lon FROM buildings WHERE owner = 'aler' ORDER BY id"))
    operator = next(db.query("SELECT id FROM users WHERE role = 'operator' ORDER BY id LIMIT 1"), None)
    aler = next(db.query("SELECT id FROM users WHERE role = 'aler' ORDER BY id LIMIT 1"), None)
    if not buildings or operator is None or aler is None:
        return []
    now = clock.utc_now()
    reports, events = [], []
    for index, (days, status, category, area, description) in enumerate(PASSED):
        filed, verified, passed, taken, resolved = [now - timedelta(days=d, hours=3) if d else None for d in days]
        building = buildings[index % len(buildings)]
        # Fixed (the demo is deterministic), and each with a reference of its own: pages show its first 8 digits.
        uuid = f"a1e7{index + 1:04x}-0000-4000-8000-{index + 1:012d}"
        reports.append({
            "uuid": uuid, "building_id": building["id"], "area": area, "category": category, "severity": "moderate",
            "description": description, "status": status, "lat": building["lat"], "lon": building["lon"],
            "location_source": "building", "distance_m": 0.0, "far": 0, "created_at": _at(filed),
            "created_by": operator["id"], "updated_at": _at(resolved or taken or passed), "version": 1 + len(
                [d for d in days[1:] if d]), "source": "staff", "aler_passed_at": _at(passed),
            "aler_taken_at": _at(taken) if taken else None, "aler_resolved_at": _at(resolved) if resolved else None})
        steps = [(None, "new", filed), ("new", "verified", verified), ("verified", "with_aler", passed)]
        if taken:
            steps.append(("with_aler", "aler_taken", taken))
        if resolved:
            steps.append(("aler_taken", "resolved", resolved))
        events += [{"entity": "report", "entity_id": uuid, "at": _at(at),
                    "user_id": aler["id"] if after in ("aler_taken", "resolved") else operator["id"],
                    "from_status": before, "to_status": after, "note": None} for before, after, at in steps]
    db["reports"].insert_all(reports)
    db["events"].insert_all(events)
    return [f"ALER: {len(reports)} reports passed to ALER (one waiting, one taken on, one resolved)."]
