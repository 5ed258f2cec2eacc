"""Invented reports for the demo: about 120 over the last four months, in every status, with history."""
import uuid as uuid_module
from datetime import datetime, timedelta

from fieldapp import clock, geo
from fieldapp.reports.vocab import AREAS, CATEGORIES

# How many reports end in each status; the path each status took to get there.
STATUS_COUNTS = {"new": 18, "verified": 20, "planned": 14, "in_progress": 10, "resolved": 32,
                 "rejected": 12, "duplicate": 14}
PATHS = {
    "new": ["new"],
    "verified": ["new", "verified"],
    "planned": ["new", "verified", "planned"],
    "in_progress": ["new", "verified", "planned", "in_progress"],
    "resolved": ["new", "verified", "planned", "in_progress", "resolved"],
    "rejected": ["new", "rejected"],
    "duplicate": ["new", "duplicate"],
}
DESCRIPTIONS = {
    "waste": ["Sacchi di rifiuti lasciati davanti alle cantine.", "Rifiuti sparsi vicino al portone."],
    "bulky": ["Un materasso e un divano abbandonati.", "Mobili vecchi accatastati da settimane."],
    "hygiene": ["Cattivo odore persistente, pavimento sporco.", "Scale non pulite da tempo."],
    "pests": ["Segni di ratti vicino ai bidoni.", "Piccioni nidificano sul ballatoio."],
    "biological": ["Escrementi di animali sulle scale.", "Materiale organico da rimuovere."],
    "damage": ["Vetro del portone rotto.", "Scritte sui muri dell'androne."],
    "other": ["Luce delle scale guasta.", "Acqua stagnante in cortile."],
}
REJECTIONS = ["Non riguarda una parte comune.", "Al sopralluogo il problema non c'era più.",
              "Di competenza del gestore: inoltrata ad ALER."]


def _at(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _uuid(rng):
    return str(uuid_module.UUID(int=rng.getrandbits(128), version=4))


def _position(rng, building, far=False):
    """Mostly the phone's position a few metres away; some from photos or the building; a few far off."""
    roll = rng.random()
    if far:  # a phone with a poor fix, hundreds of metres off
        point = (building["lat"] + rng.choice([-1, 1]) * rng.uniform(0.002, 0.004), building["lon"])
        return geo.locate(building, point, float(rng.randint(40, 120)))
    if roll < 0.72:
        offset, source, accuracy = 0.0002, "device", rng.randint(4, 30)
    elif roll < 0.86:
        offset, source, accuracy = 0.0003, "photo", None
    else:
        return geo.locate(building)
    point = (building["lat"] + rng.uniform(-offset, offset), building["lon"] + rng.uniform(-offset, offset))
    if source == "device":
        return geo.locate(building, point, float(accuracy))
    return geo.locate(building, photo_positions=[point])


def load(db, rng):
    buildings = list(db.query("SELECT id, code, lat, lon, presidio_code FROM buildings ORDER BY id"))
    if not buildings:
        return []
    users = list(db.query("SELECT id, username, role, presidio_code FROM users"))
    tutors = {}
    for user in users:
        if user["role"] == "tutor":
            tutors.setdefault(user["presidio_code"], []).append(user["id"])
    operator = next(u["id"] for u in users if u["role"] == "operator")
    now = clock.utc_now().replace(microsecond=0)
    statuses = [s for s, n in STATUS_COUNTS.items() for _ in range(n) if s != "duplicate"]
    rng.shuffle(statuses)
    reports, events = [], []

    def add(building, status, created, category=None, area=None, duplicate_of=None, author=None):
        category = category or rng.choice(list(CATEGORIES))
        area = area or rng.choice(list(AREAS))
        uuid = _uuid(rng)
        reports.append({
            "uuid": uuid, "building_id": building["id"], "area": area, "category": category,
            "severity": rng.choice(["minor", "moderate", "moderate", "serious", "urgent"]),
            "description": rng.choice(DESCRIPTIONS[category]), "status": status, "duplicate_of": duplicate_of,
            **_position(rng, building, far=len(reports) % 24 == 5), "expected_photos": 0, "created_at": _at(created),
            "client_created_at": _at(created - timedelta(minutes=rng.randint(0, 90))),
            "created_by": author or rng.choice(tutors.get(building["presidio_code"]) or [operator]),
            "updated_at": None, "version": len(PATHS[status]), "content_hash": None,
        })
        at, path = created, PATHS[status]
        for step, (before, after) in enumerate(zip([None, *path], path, strict=False)):
            at = at + timedelta(hours=rng.randint(2, 96)) if step else at
            at = min(at, now)
            note = rng.choice(REJECTIONS) if after == "rejected" else None
            events.append({"entity": "report", "entity_id": uuid, "at": _at(at),
                           "user_id": reports[-1]["created_by"] if step == 0 else operator,
                           "from_status": before, "to_status": after, "note": note})
        reports[-1]["updated_at"] = _at(at) if len(path) > 1 else None
        return reports[-1]

    for status in statuses:
        # Recent reports are still waiting; old ones have usually been dealt with.
        days = rng.uniform(0, 20) if status == "new" else rng.uniform(3, 120)
        add(rng.choice(buildings), status, now - timedelta(days=days, minutes=rng.randint(0, 600)))
    for _ in range(STATUS_COUNTS["duplicate"]):
        original = rng.choice([r for r in reports if r["status"] not in ("rejected", "duplicate")
                               and r["created_at"] < _at(now - timedelta(days=1))])
        building = next(b for b in buildings if b["id"] == original["building_id"])
        created = datetime.fromisoformat(original["created_at"]) + timedelta(hours=rng.randint(3, 240))
        add(building, "duplicate", min(created, now - timedelta(hours=1)), original["category"], original["area"],
            duplicate_of=original["uuid"])
    # A fresh open report in Borgo Loreto's cellars, for the duplicate hint of a new report there.
    loreto = next((b for b in buildings if b["presidio_code"] == "P-BLO"), buildings[0])
    add(loreto, "new", now - timedelta(days=2), "waste", "cellars",
        author=(tutors.get("P-BLO") or [operator])[-1])
    db["reports"].insert_all(reports)
    db["events"].insert_all(events)
    return [f"Reports: {len(reports)} with {len(events)} status changes, "
            f"{sum(r['far'] for r in reports)} flagged as far from their building."]
