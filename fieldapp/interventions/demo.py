"""Invented contractors and about 15 interventions in every status, linked to the demo reports.

The reports demo leaves reports planned, in progress and resolved without saying by what: here they
get their interventions, with dates and history that agree with the reports' own. Some verified
reports stay free, for the operator to plan.
"""
import io
import json
import uuid as uuid_module
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

from fieldapp import clock
from fieldapp.geo import distance_m
from fieldapp.interventions.planning import SUGGESTED_KIND
from fieldapp.interventions.vocab import NEARBY_METRES

CONTRACTORS = [
    # (name, services, contact person, phone, active)
    ("Ditta Demo Pulizie Srl", ["cleaning", "clearance", "bulky"], "Referente Demo Uno", "0372 000 001", 1),
    ("Esempio Disinfestazioni Snc", ["rodent_control", "pest_control", "biological"], "Referente Demo Due",
     "0372 000 002", 1),
    ("Finta Sgomberi Coop", ["clearance", "bulky", "cleaning"], "Referente Demo Tre", "0372 000 003", 1),
    ("Prova Manutenzioni Srl", ["repair", "other"], "Referente Demo Quattro", "0372 000 004", 0),
]
# Per status of the linked reports: how many interventions to make (None: enough for all of them, so
# no report says "planned" without its intervention), and the status they get.
PLAN = [("resolved", 4, "done"), ("in_progress", None, "in_progress"), ("planned", None, "planned")]
GROUP_MAX = 4
ZONE = ZoneInfo("Europe/Rome")


def _at(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _local_day(timestamp):
    return datetime.fromisoformat(timestamp).astimezone(ZONE).date().isoformat()


def _tables(db):
    return {"reports", "interventions", "photos"} <= set(db.table_names())


def _groups(db, status, rng):
    """Free reports of a status grouped by place: a building and those nearby, as the operator would."""
    rows = list(db.query(
        """SELECT r.uuid, r.building_id, r.category, r.created_at, b.lat AS building_lat, b.lon AS building_lon,
                  (SELECT MAX(e.at) FROM events e WHERE e.entity = 'report' AND e.entity_id = r.uuid
                    AND e.to_status = ?) AS reached_at,
                  (SELECT MAX(e.at) FROM events e WHERE e.entity = 'report' AND e.entity_id = r.uuid
                    AND e.to_status = 'planned') AS planned_at
           FROM reports r JOIN buildings b ON b.id = r.building_id
           LEFT JOIN intervention_reports ir ON ir.report_uuid = r.uuid
           WHERE r.status = ? AND ir.report_uuid IS NULL ORDER BY r.building_id, r.created_at""",
        [status, status]))
    groups = []
    while rows:
        anchor = rows[0]
        group = [r for r in rows if r["building_id"] == anchor["building_id"] or distance_m(
            anchor["building_lat"], anchor["building_lon"], r["building_lat"], r["building_lon"]) <= NEARBY_METRES]
        group = group[:GROUP_MAX]
        rows = [r for r in rows if r not in group]
        groups.append(group)
    rng.shuffle(groups)
    return groups


def _photo(rng, label):
    """A small invented picture of a courtyard-coloured wall, so done interventions have evidence."""
    image = Image.new("RGB", (640, 480), (rng.randint(150, 210), rng.randint(150, 200), rng.randint(120, 180)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, 600), rng.randint(200, 460)
        draw.rectangle([x, y, x + rng.randint(10, 60), y + rng.randint(5, 30)], fill=(90, 90, 90))
    draw.text((20, 20), label, fill=(0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def load(db, rng):
    if not _tables(db):
        return []
    from fieldapp.photos.attachments import store_photo

    operator = next(db.query("SELECT id FROM users WHERE role = 'operator' ORDER BY id LIMIT 1"), {}).get("id")
    if operator is None:
        return []
    tutors = {}
    for tutor in db.query("SELECT id, presidio_code FROM users WHERE role = 'tutor' ORDER BY id"):
        tutors.setdefault(tutor["presidio_code"], tutor["id"])
    now = clock.utc_now().replace(microsecond=0)
    today = now.astimezone(ZONE).date()
    contractors = {}
    for name, services, person, phone, active in CONTRACTORS:
        contractors[name] = (db["contractors"].insert({
            "name": name, "services": json.dumps(services), "contact_person": person, "phone": phone,
            "email": f"{name.split()[0].lower()}@example.com", "active": active,
            "created_at": _at(now - timedelta(days=150)), "created_by": operator,
            "version": 1}).last_pk, services, active)

    def firm(kind):
        able = [cid for cid, services, active in contractors.values() if active and kind in services]
        return rng.choice(able or [cid for cid, _s, active in contractors.values() if active])

    made, photos = [], 0
    for report_status, count, status in PLAN:
        groups = _groups(db, report_status, rng)
        if report_status == "in_progress":  # the ones started lately: work under way this week
            groups.sort(key=lambda g: max(r["reached_at"] or "" for r in g), reverse=True)
        for number, reports in enumerate(groups[:count]):
            final = status
            building = next(db.query("SELECT id, presidio_code FROM buildings WHERE id = ?",
                                     [reports[0]["building_id"]]))
            kind = SUGGESTED_KIND.get(reports[0]["category"], "other")
            reached = max(r["reached_at"] or r["created_at"] for r in reports)
            planned_at = max(r["planned_at"] or r["created_at"] for r in reports)
            if status in ("done", "in_progress"):
                day = _local_day(reached)
            elif number == 0:  # one the operator forgot: its day is gone and it is still open
                day, final = (today - timedelta(days=3)).isoformat(), "notified"
            else:
                day = (today + timedelta(days=2 + number * 3)).isoformat()
                final = rng.choice(["planned", "notified"])
            estimate = rng.choice([18000, 25000, 42000, 65000, 90000, 120000])
            row = {
                "uuid": _uuid(rng), "kind": kind, "contractor_id": firm(kind), "building_id": building["id"],
                "scheduled_on": day, "time_from": rng.choice(["08:00", "09:00", "14:00"]), "time_to": "",
                "estimated_cost_cents": estimate, "notes": None, "tenant_instructions": None,
                "tutor_id": tutors.get(building["presidio_code"]), "status": final,
                "created_at": planned_at, "client_created_at": None, "created_by": operator, "version": 1,
            }
            row["time_to"] = {"08:00": "12:00", "09:00": "13:00", "14:00": "17:30"}[row["time_from"]]
            steps = {"planned": ["planned"], "notified": ["planned", "notified"],
                     "in_progress": ["planned", "notified", "in_progress"],
                     "done": ["planned", "notified", "in_progress", "done"]}[final]
            times = _step_times(planned_at, reached, steps, now)
            row.update({"notified_at": times.get("notified"), "started_at": times.get("in_progress"),
                        "done_at": times.get("done")})
            if final == "done":
                row["actual_cost_cents"] = estimate + rng.choice([-3000, 0, 0, 2500, 8000])
            intervention_id = db["interventions"].insert(row).last_pk
            db["intervention_reports"].insert_all(
                [{"intervention_id": intervention_id, "report_uuid": r["uuid"]} for r in reports])
            db["events"].insert_all([
                {"entity": "intervention", "entity_id": str(intervention_id), "at": times[step],
                 "user_id": operator, "from_status": before, "to_status": step, "note": None}
                for before, step in zip([None, *steps], steps, strict=False)])
            if final == "done":
                for role in ("before", "after"):
                    store_photo(db, owner="intervention", owner_id=str(intervention_id), photo_uuid=_uuid(rng),
                                data=_photo(rng, f"DEMO {role} {intervention_id}"), role=role, user_id=operator)
                    photos += 1
            made.append(final)
    made += _cancelled(db, rng, firm, operator, now, today)
    return [f"Interventions: {len(made)} ({', '.join(f'{made.count(s)} {s}' for s in dict.fromkeys(made))}), "
            f"{len(contractors)} contractors, {photos} before/after photos."]


def _cancelled(db, rng, firm, operator, now, today):
    """One intervention cancelled by the tenants' committee: its reports went back to verified."""
    groups = _groups(db, "verified", rng)
    if not groups:
        return []
    reports = groups[0][:1]
    kind = SUGGESTED_KIND.get(reports[0]["category"], "other")
    planned_at = _at(min(datetime.fromisoformat(reports[0]["reached_at"] or reports[0]["created_at"])
                         + timedelta(hours=6), now - timedelta(hours=2)))
    cancelled_at = _at(min(datetime.fromisoformat(planned_at) + timedelta(days=2), now))
    intervention_id = db["interventions"].insert({
        "uuid": _uuid(rng), "kind": kind, "contractor_id": firm(kind), "building_id": reports[0]["building_id"],
        "scheduled_on": (today + timedelta(days=5)).isoformat(), "time_from": "09:00", "time_to": "12:00",
        "estimated_cost_cents": 30000, "status": "cancelled", "cancel_reason": "Problema risolto dagli inquilini.",
        "cancelled_at": cancelled_at, "created_at": planned_at, "created_by": operator, "version": 1,
    }).last_pk
    db["intervention_reports"].insert({"intervention_id": intervention_id, "report_uuid": reports[0]["uuid"]})
    note = f"Intervento n. {intervention_id}"
    db["events"].insert_all([
        {"entity": "report", "entity_id": reports[0]["uuid"], "at": planned_at, "user_id": operator,
         "from_status": "verified", "to_status": "planned", "note": note},
        {"entity": "report", "entity_id": reports[0]["uuid"], "at": cancelled_at, "user_id": operator,
         "from_status": "planned", "to_status": "verified", "note": note}])
    db["events"].insert_all([
        {"entity": "intervention", "entity_id": str(intervention_id), "at": planned_at, "user_id": operator,
         "from_status": None, "to_status": "planned", "note": None},
        {"entity": "intervention", "entity_id": str(intervention_id), "at": cancelled_at, "user_id": operator,
         "from_status": "planned", "to_status": "cancelled", "note": "Problema risolto dagli inquilini."}])
    return ["cancelled"]


def _step_times(start, end, steps, now):
    """Timestamps for each step, spread from `start` to `end` (or to now for open ones)."""
    first = datetime.fromisoformat(start)
    last = max(datetime.fromisoformat(end), first)
    if steps[-1] != "done":
        last = max(last, min(first + timedelta(days=len(steps)), now))
    span = (last - first) / max(len(steps) - 1, 1)
    return {step: _at(min(first + span * i, now)) for i, step in enumerate(steps)}


def _uuid(rng):
    return str(uuid_module.UUID(int=rng.getrandbits(128), version=4))
