"""Invented community pacts: Piazza dei Patrioti in Borgo Loreto, a courtyard in Largo Pagliari, a proposal."""
import uuid as uuid_module
from datetime import timedelta

from fieldapp.audit import record_event
from fieldapp.fields import local_now
from fieldapp.records.idempotency import content_hash

COMMITMENTS = [
    ("residents", "Gruppo di residenti", "Raccogliere i rifiuti e spazzare la piazza", "monthly"),
    ("residents", "Gruppo di residenti", "Potare le siepi e piantare fiori", "seasonal"),
    ("residents", "Gruppo di residenti", "Avere cura delle panchine", "ongoing"),
    ("municipality", "Ufficio Quartieri e Beni Comuni",
     "Assicurazione infortuni e responsabilità civile per i volontari", "ongoing"),
    ("municipality", "Ufficio Quartieri e Beni Comuni", "Un referente e attrezzi in prestito", "ongoing"),
]
# (status ladder walked, months ago proposed)
PACTS = [
    ("Piazza dei Patrioti", "care", ["review", "signed", "active"], 10),
    ("Cortile Largo Pagliari (demo)", "animation", ["review", "signed", "active", "check", "renewed"], 20),
    ("Aiuola di via Sardagna (demo)", "regeneration", [], 1),
]


def load(db, rng):
    """Write the demo pacts with their history and activities; return a summary line."""
    manager = next(db.query("SELECT id FROM users WHERE username = 'community'"), None)
    if manager is None:
        return []
    today = local_now().date()
    namespace = uuid_module.UUID("7d2c4e1a-95b3-4f0c-8e21-2026dec0a002")
    pagliari = next(db.query("SELECT * FROM buildings WHERE pilot_area = 'pagliari' ORDER BY id LIMIT 1"))
    loreto = next(db.query("SELECT * FROM buildings WHERE pilot_area = 'borgo_loreto' ORDER BY id LIMIT 1"))
    activities = 0
    with db.atomic():
        for number, (name, kind, ladder, months) in enumerate(PACTS):
            proposed = today - timedelta(days=30 * months)
            if number == 1:
                place = {"place_kind": "building", "building_id": pagliari["id"], "common_area": "courtyard",
                         "lat": pagliari["lat"], "lon": pagliari["lon"], "quartiere_id": pagliari["quartiere_id"],
                         "presidio_code": pagliari["presidio_code"]}
            else:
                place = {"place_kind": "point", "building_id": None, "common_area": None,
                         "lat": loreto["lat"] + 0.0006 * (number + 1), "lon": loreto["lon"] + 0.0004,
                         "quartiere_id": loreto["quartiere_id"], "presidio_code": loreto["presidio_code"]}
            signed = proposed + timedelta(days=40)
            pact_id = db["pacts"].insert({
                "kind": kind, **place, "place_name": name, "office": "quartieri_beni_comuni",
                "signatories": rng.randint(6, 14), "proposed_on": proposed.isoformat(),
                "signed_on": signed.isoformat() if "signed" in ladder else None,
                "ends_on": (signed + timedelta(days=365)).isoformat(), "closed_on": None,
                "status": ladder[-1] if ladder else "proposal", "created_at": f"{proposed}T09:00:00Z",
                "created_by": manager["id"], "version": 1}).last_pk
            record_event("pact", pact_id, None, "proposal", user_id=manager["id"], db=db)
            previous = "proposal"
            for step in ladder:
                record_event("pact", pact_id, previous, step, user_id=manager["id"], db=db)
                previous = step
            db["pact_commitments"].insert_all([
                {"pact_id": pact_id, "side": s, "role": r, "action": a, "frequency": f} for s, r, a, f in COMMITMENTS])
            if "active" not in ladder:
                continue
            day = signed + timedelta(days=20)
            while day < today:
                content = {"pact_id": pact_id, "held_on": day.isoformat(), "volunteers": rng.randint(4, 12),
                           "person_hours": f"{rng.randint(8, 30)}.0", "meeting_uuid": None, "note": None,
                           "photo_uuids": []}
                db["pact_activities"].insert({
                    "uuid": str(uuid_module.uuid5(namespace, f"activity:{number}:{day}")), **{
                        k: v for k, v in content.items() if k != "photo_uuids"},
                    "person_hours": float(content["person_hours"]), "expected_photos": 0,
                    "created_at": f"{day}T18:00:00Z", "client_created_at": f"{day}T18:00:00Z",
                    "created_by": manager["id"], "version": 1, "content_hash": content_hash(content)})
                activities += 1
                day += timedelta(days=30)
    return [f"Pacts: {len(PACTS)} community pacts, {activities} activities."]
