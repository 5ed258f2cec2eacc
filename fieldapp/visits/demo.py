"""Invented home visits and follow-ups over the last months: some overdue, some households left unvisited.

Notes are generic and plainly invented; nobody real is described.
"""
import json
import uuid as uuid_module
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fieldapp.audit import record_event
from fieldapp.fields import local_now
from fieldapp.visits.queries import content_hash, followup_uuid
from fieldapp.visits.vocab import (
    ARREARS_TRENDS,
    FOLLOWUP_ACTIONS,
    FRAILTY,
    KINDS,
    PRESENT,
    REFERRALS,
    REPAYMENT_PLANS,
    TOPICS,
)

NOTES = [
    "Nota demo: controllo di routine, niente di nuovo.",
    "Nota demo: concordato di rivedersi al presidio.",
    "Nota demo: esempio inventato di un'annotazione breve e fattuale.",
    "Nota demo: il nucleo ha chiesto informazioni sull'ISEE.",
    "Nota demo: richiesta di manutenzione inoltrata, in attesa del proprietario.",
]
# Share of households visited at all in the demo window; the rest show up as not visited.
VISITED_SHARE = 0.7
DAYS_BACK = 240


def load(db, rng):
    """Write the demo visits with the shared rng; return a summary line."""
    today = local_now().date()
    namespace = uuid_module.UUID("6f1c2a1e-5d0b-4c55-9a55-2015c0071e00")
    tutors = {}
    for row in db.query("SELECT id, presidio_code FROM users WHERE role = 'tutor' ORDER BY id"):
        tutors.setdefault(row["presidio_code"], []).append(row["id"])
    households = list(db.query(
        """SELECT h.id, h.code, h.tutor_id, h.arrears_band, b.presidio_code FROM households h
           JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id
           WHERE h.active = 1 ORDER BY h.id"""))
    visits, followups, events = [], [], []
    for household in households:
        if rng.random() > VISITED_SHARE:
            continue
        author = household["tutor_id"] or rng.choice(tutors[household["presidio_code"]])
        # Half the visited households were last seen long ago: the agenda's "not visited" list.
        latest = rng.randint(100, DAYS_BACK) if rng.random() < 0.3 else rng.randint(0, 80)
        days = sorted({latest} | {rng.randint(latest, DAYS_BACK) for _ in range(rng.randint(0, 3))})
        for number, days_ago in enumerate(days):
            visit, content = _visit(rng, household, author, today - timedelta(days=days_ago), namespace, number)
            visits.append(visit)
            if rng.random() < 0.45:
                followup = _followup(rng, visit, household, author, tutors, today, events)
                followups.append(followup)
                content["followups"] = [{k: followup[k] for k in ("action", "due_on", "assignee_id")}]
            visit["content_hash"] = content_hash(content)
    with db.atomic():
        db["visits"].insert_all(visits)
        db["followups"].insert_all(followups)
        for followup_id, user_id, to_status in events:
            record_event("followup", followup_id, None, "open", user_id=user_id, db=db)
            if to_status == "done":
                record_event("followup", followup_id, "open", "done", user_id=user_id, db=db)
    overdue = sum(1 for f in followups if f["status"] == "open" and f["due_on"] < today.isoformat())
    return [f"Visits: {len(visits)} visits, {len(followups)} follow-ups ({overdue} overdue)."]


def _visit(rng, household, author, day, namespace, number):
    at = datetime.combine(day, time(rng.randint(9, 17), rng.choice([0, 15, 30, 45])))
    outcome = rng.choices(["held", "partial", "not_home", "postponed"], [80, 8, 10, 2])[0]
    held = outcome in ("held", "partial")
    arrears = household["arrears_band"] != "none"
    kinds = list(KINDS)
    content = {
        "household_id": household["id"],
        "visited_at": at.strftime("%Y-%m-%dT%H:%M"),
        "kind": "financial" if arrears and rng.random() < 0.5 else rng.choice(kinds[:5]),
        "present": _some(rng, list(PRESENT)[:4], 2) if held else [],
        "present_count": rng.randint(1, 4) if held else 0,
        "topics": _some(rng, list(TOPICS), 3) if held else [],
        "frailty": _some(rng, list(FRAILTY), 1) if held and rng.random() < 0.2 else [],
        "arrears_trend": rng.choice(list(ARREARS_TRENDS)) if arrears and held else None,
        "repayment_plan": rng.choice(list(REPAYMENT_PLANS)) if arrears and held else None,
        "referrals": _some(rng, list(REFERRALS)[:3], 1) if held and rng.random() < 0.25 else [],
        "outcome": outcome,
        "note": rng.choice(NOTES) if held and rng.random() < 0.4 else None,
        "followups": [],
    }
    stamp = at.replace(tzinfo=ZoneInfo("Europe/Rome")).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    visit_uuid = str(uuid_module.uuid5(namespace, f"{household['code']}:{number}"))
    row = {"uuid": visit_uuid, **{k: v for k, v in content.items() if k != "followups"},
           "created_at": stamp, "client_created_at": stamp, "created_by": author, "version": 1}
    for key in ("present", "topics", "frailty", "referrals"):
        row[key] = json.dumps(row[key])
    return row, content


def _followup(rng, visit, household, author, tutors, today, events):
    visited = datetime.strptime(visit["visited_at"], "%Y-%m-%dT%H:%M").date()
    due = visited + timedelta(days=rng.randint(5, 45))
    # Most follow-ups already due are done; a few are left overdue for the agenda.
    done = due < today and rng.random() < 0.85
    assignee = rng.choice([author, author, rng.choice(tutors[household["presidio_code"]])])
    row = {"action": rng.choice(list(FOLLOWUP_ACTIONS)), "due_on": due.isoformat(), "assignee_id": assignee}
    uuid = followup_uuid(visit["uuid"], 1, 0)
    events.append((uuid, assignee, "done" if done else "open"))
    return {
        "uuid": uuid, "visit_uuid": visit["uuid"], "household_id": household["id"], **row,
        "status": "done" if done else "open",
        "done_at": f"{min(due, today).isoformat()}T16:00:00Z" if done else None,
        "done_by": assignee if done else None,
        "created_at": visit["created_at"], "client_created_at": visit["client_created_at"],
        "created_by": visit["created_by"], "version": 2 if done else 1, "content_hash": content_hash(row),
    }


def _some(rng, codes, most):
    picked = set(rng.sample(codes, rng.randint(1, most)))
    return [code for code in codes if code in picked]
