"""Every SQL statement of the pacts area."""
import json
from datetime import timedelta

from fieldapp.db import get_db, now

PACT = """SELECT p.*, q.name AS quartiere_name, b.address AS building_address, pr.name AS presidio_name
          FROM pacts p JOIN quartieri q ON q.id = p.quartiere_id
          LEFT JOIN buildings b ON b.id = p.building_id LEFT JOIN presidi pr ON pr.code = p.presidio_code"""


def pact(pact_id):
    return next(get_db().query(f"{PACT} WHERE p.id = ?", [pact_id]), None)


def pacts(presidio_code=None):
    where, params = ("WHERE p.presidio_code = ?", [presidio_code]) if presidio_code else ("", [])
    return list(get_db().query(f"{PACT} {where} ORDER BY p.status = 'closed', p.proposed_on DESC, p.id", params))


def create_pact(row, user_id):
    db = get_db()
    with db.atomic():
        pact_id = db["pacts"].insert({**row, "status": "proposal", "created_at": now(), "created_by": user_id,
                                      "version": 1}).last_pk
        record_status(db, pact_id, None, "proposal", None, user_id)
    return pact_id


def record_status(db, pact_id, from_status, to_status, note, user_id):
    from fieldapp.audit import record_event

    record_event("pact", pact_id, from_status, to_status, note, user_id=user_id, db=db)


def move(pact_id, from_status, to_status, changes, note, user_id):
    """Step the pact from `from_status`; False when someone else moved it first."""
    db = get_db()
    with db.atomic():
        sets = ", ".join(f"{column} = ?" for column in changes)
        cursor = db.execute(
            f"UPDATE pacts SET status = ?, {sets + ', ' if sets else ''}version = version + 1 "
            "WHERE id = ? AND status = ?", [to_status, *changes.values(), pact_id, from_status])
        if cursor.rowcount != 1:
            return False
        record_status(db, pact_id, from_status, to_status, note, user_id)
    return True


def commitments(pact_id):
    return list(get_db().query("SELECT * FROM pact_commitments WHERE pact_id = ? ORDER BY side DESC, id", [pact_id]))


def add_commitment(pact_id, row):
    get_db()["pact_commitments"].insert({**row, "pact_id": pact_id})


def activities(pact_id):
    return list(get_db().query(
        """SELECT a.*, m.held_on AS meeting_held_on, m.place AS meeting_place,
                  (SELECT json_group_array(uuid) FROM photos WHERE owner = 'pact_activity' AND owner_id = a.uuid)
                      AS photo_uuids
           FROM pact_activities a LEFT JOIN meetings m ON m.uuid = a.meeting_uuid
           WHERE a.pact_id = ? ORDER BY a.held_on DESC, a.created_at DESC""", [pact_id]))


def activity(uuid):
    return next(get_db().query("SELECT * FROM pact_activities WHERE uuid = ?", [uuid]), None)


def insert_activity(row, db):
    db["pact_activities"].insert(row)


def recent_meetings(limit=40):
    """Meetings an activity can be linked to (where the pact was discussed), newest first."""
    return list(get_db().query(
        "SELECT uuid, held_on, place, context FROM meetings ORDER BY held_on DESC, uuid LIMIT ?", [limit]))


def meeting_exists(uuid):
    return get_db().execute("SELECT 1 FROM meetings WHERE uuid = ?", [uuid]).fetchone() is not None


# --- indicators and the map ---------------------------------------------------------------

# A pact is in force on a day when it was signed by then, has not ended (closed or revoked) before it and
# has not run past its end date (a renewal moves the end date). The one rule of the dashboard's indicator,
# the report to the Region and the pacts' own page: params (day after the span, first day, first day).
IN_FORCE = """p.signed_on IS NOT NULL AND p.signed_on < ?
    AND (p.closed_on IS NULL OR p.closed_on >= ?) AND (p.ends_on IS NULL OR p.ends_on >= ?)"""


def in_force_params(first_day, day_after):
    """The parameters of IN_FORCE for the span of days [first_day, day_after)."""
    return [day_after.isoformat(), first_day.isoformat(), first_day.isoformat()]


def in_force_count(day, presidio_code=None):
    """How many pacts are in force on `day`."""
    where, params = ("AND p.presidio_code = ?", [presidio_code]) if presidio_code else ("", [])
    return get_db().execute(f"SELECT count(*) FROM pacts p WHERE {IN_FORCE} {where}",
                            [*in_force_params(day, day + timedelta(days=1)), *params]).fetchone()[0]

def count_by_status(presidio_code=None):
    where, params = ("WHERE presidio_code = ?", [presidio_code]) if presidio_code else ("", [])
    return {row["status"]: row["n"] for row in get_db().query(
        f"SELECT status, count(*) AS n FROM pacts {where} GROUP BY status", params)}


def renewals(presidio_code=None):
    where, params = ("AND p.presidio_code = ?", [presidio_code]) if presidio_code else ("", [])
    return get_db().execute(
        f"""SELECT count(*) FROM events e JOIN pacts p ON CAST(p.id AS TEXT) = e.entity_id
            WHERE e.entity = 'pact' AND e.to_status = 'renewed' {where}""", params).fetchone()[0]


def hours_per_month(since, presidio_code=None):
    where, params = ("AND p.presidio_code = ?", [presidio_code]) if presidio_code else ("", [])
    return list(get_db().query(
        f"""SELECT substr(a.held_on, 1, 7) AS month, sum(a.person_hours) AS hours, sum(a.volunteers) AS volunteers,
                   count(*) AS activities
            FROM pact_activities a JOIN pacts p ON p.id = a.pact_id
            WHERE a.held_on >= ? {where} GROUP BY month ORDER BY month""", [since, *params]))


def reports_in_box(min_lat, max_lat, min_lon, max_lon):
    """Reports in a box (a cheap pre-filter before the exact distance), with their day of filing."""
    return list(get_db().query(
        """SELECT r.uuid, r.lat, r.lon, r.status, r.category, r.area, r.created_by, b.presidio_code,
                  substr(r.created_at, 1, 10) AS day
           FROM reports r JOIN buildings b ON b.id = r.building_id
           WHERE r.lat BETWEEN ? AND ? AND r.lon BETWEEN ? AND ?""", [min_lat, max_lat, min_lon, max_lon]))


def photo_uuids(raw):
    return [u for u in json.loads(raw or "[]") if u]
