"""Invented meetings over the last months, mostly in the two pilot areas. Counts only, no names."""
import json
import uuid as uuid_module
from datetime import timedelta

from fieldapp.fields import local_now
from fieldapp.meetings.vocab import KINDS, OUTCOMES, PARTICIPANT_GROUPS, TOPICS
from fieldapp.records.idempotency import content_hash

PLACES = ["Presidio", "Cortile interno", "Sala civica (demo)", "Androne scala A", "Parrocchia (demo)"]
SUMMARIES = [
    "Sintesi demo: i residenti hanno concordato i turni di pulizia del cortile.",
    "Sintesi demo: esempio inventato di una breve sintesi d'incontro.",
    "Sintesi demo: raccolte per i servizi le domande sulle bollette del riscaldamento.",
]
STEPS = ["Il tutor porta i turni nelle scale", "Il comitato contatta il Comune", "La community manager prenota la sala"]
DAYS_BACK = 270


def load(db, rng):
    """Write the demo meetings with the shared rng; return a summary line."""
    today = local_now().date()
    namespace = uuid_module.UUID("1b0e6f4c-2a8d-4f61-8d3c-2015c0071e01")
    authors = [row["id"] for row in db.query(
        "SELECT id FROM users WHERE role = 'community' OR username IN ('tutor.loreto', 'tutor.pagliari') ORDER BY id")]
    others = list(db.query("SELECT id FROM buildings WHERE pilot_area IS NULL ORDER BY id"))
    meetings, steps = [], []
    for number in range(36):
        days_ago = rng.randint(0, DAYS_BACK)
        held = today - timedelta(days=days_ago)
        context = rng.choices(["borgo_loreto", "pagliari", "building", "quartiere"], [45, 35, 12, 8])[0]
        counts = {column: 0 for column in PARTICIPANT_GROUPS}
        counts["participants_public_housing"] = rng.randint(3, 30)
        counts["participants_other_residents"] = rng.randint(0, 10)
        counts["participants_services"] = rng.randint(0, 4)
        counts["participants_third_sector"] = rng.randint(0, 3)
        counts["participants_committees"] = rng.randint(0, 2)
        content = {
            "context": context,
            "building_id": rng.choice(others)["id"] if context == "building" else None,
            "quartiere_id": rng.choice([4, 6, 7, 9, 14]) if context == "quartiere" else None,
            "held_on": held.isoformat(),
            "start_time": rng.choice(["10:00", "15:30", "17:00", "18:00", "18:30"]),
            "duration_minutes": rng.choice([60, 90, 90, 120]),
            "place": rng.choice(PLACES),
            "kind": rng.choice(list(KINDS)),
            **counts,
            "topics": _some(rng, list(TOPICS), 3),
            "outcomes": _some(rng, list(OUTCOMES), 2),
            "summary": rng.choice(SUMMARIES) if rng.random() < 0.5 else None,
            "steps": [],
        }
        if rng.random() < 0.6:
            content["steps"] = [{"action": rng.choice(STEPS),
                                 "due_on": (held + timedelta(days=rng.randint(7, 40))).isoformat()}]
        meeting_uuid = str(uuid_module.uuid5(namespace, f"meeting:{number}"))
        stamp = f"{held.isoformat()}T20:00:00Z"
        row = {"uuid": meeting_uuid, **{k: v for k, v in content.items() if k != "steps"},
               "created_at": stamp, "client_created_at": stamp, "created_by": rng.choice(authors),
               "version": 1, "content_hash": content_hash(content)}
        row["topics"], row["outcomes"] = json.dumps(row["topics"]), json.dumps(row["outcomes"])
        meetings.append(row)
        steps += [{"meeting_uuid": meeting_uuid, "position": i, **s} for i, s in enumerate(content["steps"])]
    with db.atomic():
        db["meetings"].insert_all(meetings)
        if steps:
            db["meeting_steps"].insert_all(steps)
    people = sum(sum(m[c] for c in PARTICIPANT_GROUPS) for m in meetings)
    return [f"Meetings: {len(meetings)} meetings, {people} participants counted."]


def _some(rng, codes, most):
    picked = set(rng.sample(codes, rng.randint(1, most)))
    return [code for code in codes if code in picked]
