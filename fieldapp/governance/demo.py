"""Demo of ALER coordination: three reports on ALER buildings passed to ALER, one in each of its states."""
from datetime import timedelta

from fieldapp import clock

# (days ago: filed, verified, passed, taken, resolved; status, category, area, description)
PASSED = [
    ((9, 8, 7, None, None), "with_aler", "damage", "roof", "Infiltrazione d'acqua dal tetto nel vano scala."),
    ((21, 20, 18, 15, None), "aler_taken", "other", "stairs", "Luce delle scale guasta al terzo piano."),
    ((45, 44, 40, 37, 30), "resolved", "damage", "entrance", "Portone d'ingresso che non si chiude."),
]


def _at(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def load(db, rng):
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
