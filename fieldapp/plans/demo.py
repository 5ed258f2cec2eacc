"""Invented plans of the demo educator in Borgo Loreto: codes, goals, sessions and one review."""
import json
import uuid as uuid_module
from datetime import timedelta

from fieldapp.fields import local_now
from fieldapp.records.idempotency import content_hash

GOALS = [
    ("finances", "Tenere un bilancio familiare mensile (demo)", "Nessun bilancio tenuto",
     "Bilancio tenuto per 3 mesi di fila"),
    ("housing_care", "Arieggiare l'alloggio ogni giorno contro la muffa (demo)", "Finestre aperte di rado",
     "Ricambio d'aria quotidiano"),
    ("community", "Partecipare al gruppo del cortile (demo)", "Nessun contatto nello stabile",
     "Due incontri frequentati"),
    ("work_training", "Iscriversi a un corso di lingua (demo)", "Non iscritto", "Iscritto e frequentante"),
]


def load(db, rng):
    """Write the demo plans; return a summary line."""
    educator = next(db.query("SELECT id FROM users WHERE username = 'educatore'"), None)
    if educator is None:
        return []
    today = local_now().date()
    namespace = uuid_module.UUID("5b1f0d2e-7c41-4a0e-9f63-2026dec0a001")
    stamp = f"{today.isoformat()}T08:00:00Z"
    sessions = 0
    # Three households of Borgo Loreto, the educator's presidio (the same ones on every load).
    households = list(db.query(
        """SELECT h.id FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id
           WHERE b.presidio_code = 'P-BLO' AND h.active = 1 ORDER BY h.id LIMIT 3 OFFSET 10"""))
    with db.atomic():
        for number, household in enumerate(households):
            agreed = today - timedelta(days=60 + 30 * number)
            person_id = db["plan_persons"].insert({
                "code": f"PEI-{number + 1:04d}", "birth_band": rng.choice(["1950s", "1960s", "1970s", "1980s"]),
                "household_id": household["id"], "created_at": stamp, "created_by": educator["id"]}).last_pk
            plan_id = db["plans"].insert({
                "person_id": person_id, "educator_id": educator["id"], "referrer": rng.choice(
                    ["tutor", "social_services", "self"]), "agreed_on": agreed.isoformat(),
                "protocol": f"DEMO/{today.year}/{100 + number}", "review_on": (agreed + timedelta(days=90)).isoformat(),
                "objectives": "Obiettivi demo: più autonomia nella gestione della casa.",
                "expected_results": "Risultati demo: bilancio e casa in ordine.",
                "supports": "Sostegni demo: incontri settimanali con l'educatore.",
                "commitments": "Impegni demo: la persona partecipa agli incontri.",
                "status": "active", "created_at": stamp, "created_by": educator["id"], "version": 1}).last_pk
            goal_ids = [db["plan_goals"].insert({"plan_id": plan_id, "domain": d, "text": t, "baseline": b,
                                                 "target": g, "created_at": stamp}).last_pk
                        for d, t, b, g in GOALS[number:number + 2]]
            for week in range(0, 9 - 2 * number):
                held = agreed + timedelta(days=7 + 7 * week)
                content = {"plan_id": plan_id, "held_on": held.isoformat(), "duration_minutes": 60,
                           "kind": rng.choice(["home", "presidio", "accompaniment", "phone"]),
                           "goal_ids": goal_ids[:1 + week % 2], "note": None}
                db["plan_sessions"].insert({
                    "uuid": str(uuid_module.uuid5(namespace, f"session:{number}:{week}")), **content,
                    "goal_ids": json.dumps(content["goal_ids"]), "created_at": stamp,
                    "client_created_at": stamp, "created_by": educator["id"], "version": 1,
                    "content_hash": content_hash(content)})
                sessions += 1
            if number == 0:
                review_id = db["plan_reviews"].insert({
                    "plan_id": plan_id, "reviewed_on": (agreed + timedelta(days=45)).isoformat(),
                    "note": None, "next_review_on": (agreed + timedelta(days=135)).isoformat(),
                    "created_at": stamp, "created_by": educator["id"]}).last_pk
                db["plan_review_scores"].insert_all([{"review_id": review_id, "goal_id": g, "score": s}
                                                     for g, s in zip(goal_ids, [0, -1], strict=True)])
                db.execute("UPDATE plans SET review_on = ? WHERE id = ?",
                           [(agreed + timedelta(days=135)).isoformat(), plan_id])
    return [f"Plans: {len(households)} individual plans, {sessions} sessions."]
