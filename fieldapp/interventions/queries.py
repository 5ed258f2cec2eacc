"""SQL of contractors, interventions, their linked reports and the indicators built on them.

`scope` limits what a viewer sees: None for everything, or {"presidio_code": ...} for a tutor
(the interventions on their presidio's buildings).
"""
import json

from fieldapp.db import get_db
from fieldapp.where import Where

INTERVENTION_COLUMNS = """i.*, c.name AS contractor_name, c.active AS contractor_active,
    c.phone AS contractor_phone, b.code AS building_code, b.address, b.presidio_code, b.lat, b.lon,
    b.quartiere_id, q.name AS quartiere_name, p.name AS presidio_name, p.address AS presidio_address,
    t.display_name AS tutor_name, cb.display_name AS created_by_name,
    (SELECT COUNT(*) FROM intervention_reports ir WHERE ir.intervention_id = i.id) AS report_count"""

INTERVENTION_FROM = """interventions i
    JOIN contractors c ON c.id = i.contractor_id
    JOIN buildings b ON b.id = i.building_id
    JOIN quartieri q ON q.id = b.quartiere_id
    LEFT JOIN presidi p ON p.code = b.presidio_code
    LEFT JOIN users t ON t.id = i.tutor_id
    LEFT JOIN users cb ON cb.id = i.created_by"""


def rows(sql, params=(), db=None):
    return list((db or get_db()).query(sql, params if isinstance(params, dict) else list(params)))


# --- contractors ------------------------------------------------------------------------

def _contractor(row):
    if row is not None:
        row["services"] = json.loads(row["services"])
    return row


def contractors(active_only=False):
    where = "WHERE c.active = 1" if active_only else ""
    return [_contractor(row) for row in rows(
        f"""SELECT c.*,
               (SELECT COUNT(*) FROM interventions i WHERE i.contractor_id = c.id
                 AND i.status IN ('planned', 'notified', 'in_progress')) AS open_interventions
            FROM contractors c {where} ORDER BY c.active DESC, c.name""")]


def contractor(contractor_id, db=None):
    return _contractor(next((db or get_db()).query(
        "SELECT * FROM contractors WHERE id = ?", [contractor_id]), None))


def contractor_named(name, db=None):
    return next((db or get_db()).query("SELECT * FROM contractors WHERE name = ?", [name]), None)


def insert_contractor(row, db=None):
    row = {**row, "services": json.dumps(row["services"])}
    return (db or get_db())["contractors"].insert(row).last_pk


def update_contractor(contractor_id, row, version, db=None):
    """Save an edit if nobody changed the contractor since `version`; True when it did."""
    cursor = (db or get_db()).execute(
        """UPDATE contractors SET name = ?, services = ?, contact_person = ?, phone = ?, email = ?,
               active = ?, updated_at = ?, version = version + 1
           WHERE id = ? AND version = ?""",
        [row["name"], json.dumps(row["services"]), row["contact_person"], row["phone"], row["email"],
         row["active"], row["updated_at"], contractor_id, version])
    return cursor.rowcount == 1


# --- interventions ----------------------------------------------------------------------

# An intervention touches its own building and the buildings of its linked reports.
TOUCHED = """SELECT 1 FROM intervention_reports tr JOIN reports trr ON trr.uuid = tr.report_uuid
    JOIN buildings tb ON tb.id = trr.building_id WHERE tr.intervention_id = i.id AND tb"""


def _where(filters=None, scope=None):
    filters = filters or {}
    where = Where()
    if scope:
        where.add(f"(b.presidio_code = ? OR EXISTS ({TOUCHED}.presidio_code = ?))", *[scope["presidio_code"]] * 2)
    building = filters.get("touches_building")
    where.when(building, f"(i.building_id = ? OR EXISTS ({TOUCHED}.id = ?))", building, building)
    where.any_of("i.status", filters.get("statuses"))
    for key, column in (("contractor_id", "i.contractor_id"), ("building_id", "i.building_id"),
                        ("kind", "i.kind"), ("quartiere_id", "b.quartiere_id")):
        where.when(filters.get(key), f"{column} = ?")
    where.when(filters.get("overdue_before"),
               "i.scheduled_on < ? AND i.status IN ('planned', 'notified', 'in_progress')")
    where.when(filters.get("since"), "i.scheduled_on >= ?").when(filters.get("until"), "i.scheduled_on <= ?")
    return str(where), where.params


def intervention(intervention_id, db=None):
    return next((db or get_db()).query(
        f"SELECT {INTERVENTION_COLUMNS} FROM {INTERVENTION_FROM} WHERE i.id = ?", [intervention_id]), None)


def intervention_by_uuid(uuid, db=None):
    return next((db or get_db()).query("SELECT * FROM interventions WHERE uuid = ?", [uuid]), None)


def search_interventions(limit=25, offset=0, filters=None, scope=None):
    """Open interventions first, soonest first; then the closed ones, latest first. limit+1 rows."""
    where, params = _where(filters, scope)
    return rows(
        f"""SELECT {INTERVENTION_COLUMNS} FROM {INTERVENTION_FROM} WHERE {where}
            ORDER BY i.status IN ('done', 'cancelled'),
                     CASE WHEN i.status IN ('done', 'cancelled') THEN NULL ELSE i.scheduled_on END,
                     i.scheduled_on DESC, i.time_from, i.id LIMIT ? OFFSET ?""",
        [*params, limit + 1, offset])


def scheduled_between(first_day, last_day, scope=None, filters=None):
    """Interventions scheduled from first_day to last_day (local dates, both included), by day and time."""
    where, params = _where({**(filters or {}), "since": first_day, "until": last_day}, scope)
    return rows(
        f"""SELECT {INTERVENTION_COLUMNS} FROM {INTERVENTION_FROM} WHERE {where}
            ORDER BY i.scheduled_on, i.time_from, i.id""", params)


def overdue(today, scope=None, filters=None):
    """Interventions whose day has passed and that are neither done nor cancelled."""
    where, params = _where({**(filters or {}), "overdue_before": today}, scope)
    return rows(
        f"""SELECT {INTERVENTION_COLUMNS} FROM {INTERVENTION_FROM} WHERE {where}
            ORDER BY i.scheduled_on, i.time_from, i.id""", params)


def for_building(building_id, limit=10):
    """Interventions touching a building (its own, or over one of its reports): open ones first."""
    return search_interventions(limit=limit, filters={"touches_building": building_id})[:limit]


def buildings_touched(intervention_id):
    """The intervention's building first, then those of its linked reports; each with its scale (staircases)."""
    found = rows(
        """SELECT b.id, b.code, b.address, b.presidio_code, p.name AS presidio_name, p.address AS presidio_address,
                  (SELECT json_group_array(scala) FROM (SELECT DISTINCT u.scala FROM units u
                    WHERE u.building_id = b.id AND u.scala <> '' ORDER BY u.scala)) AS scale,
                  b.id = i.building_id AS own
           FROM interventions i JOIN buildings b ON b.id = i.building_id
                OR b.id IN (SELECT r.building_id FROM intervention_reports ir JOIN reports r ON r.uuid = ir.report_uuid
                            WHERE ir.intervention_id = i.id)
           LEFT JOIN presidi p ON p.code = b.presidio_code
           WHERE i.id = ? ORDER BY own DESC, b.address, b.id""", [intervention_id])
    for row in found:
        row["scale"] = json.loads(row["scale"])
    return found


def insert_intervention(row, report_uuids, db=None):
    db = db or get_db()
    intervention_id = db["interventions"].insert(row).last_pk
    db["intervention_reports"].insert_all(
        [{"intervention_id": intervention_id, "report_uuid": uuid} for uuid in report_uuids])
    return intervention_id


def move(intervention_id, from_status, to_status, changes, at, db=None):
    """Change the status (and `changes`) only if it is still `from_status`; True when it did."""
    columns = ", ".join(f"[{name}] = ?" for name in changes)
    cursor = (db or get_db()).execute(
        f"""UPDATE interventions SET status = ?, {columns + ', ' if columns else ''}
                updated_at = ?, version = version + 1
            WHERE id = ? AND status = ?""",
        [to_status, *changes.values(), at, intervention_id, from_status])
    return cursor.rowcount == 1


def linked_report_uuids(intervention_id, db=None):
    return [row["report_uuid"] for row in (db or get_db()).query(
        "SELECT report_uuid FROM intervention_reports WHERE intervention_id = ? ORDER BY report_uuid",
        [intervention_id])]


def linked_reports(intervention_id):
    """The reports an intervention addresses, with where they are."""
    return rows(
        """SELECT r.uuid, r.area, r.category, r.severity, r.status, r.description, r.created_at,
                  r.building_id, b.code AS building_code, b.address
           FROM intervention_reports ir JOIN reports r ON r.uuid = ir.report_uuid
           JOIN buildings b ON b.id = r.building_id
           WHERE ir.intervention_id = ? ORDER BY r.created_at""", [intervention_id])


def intervention_id_for(uuid):
    """The intervention a uuid names: its own, or that of a step or photo upload sent from a phone."""
    row = next(get_db().query(
        """SELECT id FROM interventions WHERE uuid = :uuid
           UNION ALL SELECT intervention_id FROM intervention_updates WHERE uuid = :uuid LIMIT 1""",
        {"uuid": uuid}), None)
    return row["id"] if row else None


def insert_update(row, db=None):
    row = {**row, "photo_uuids": json.dumps(row.get("photo_uuids") or [])}
    (db or get_db())["intervention_updates"].insert(row)


# Photos sent with a form carry the intervention's id; those the outbox sends after a form carry
# the uuid of that form (the step or upload it belongs to).
PHOTOS_OF = """SELECT * FROM photos WHERE owner = 'intervention' AND (owner_id = :id OR owner_id IN
    (SELECT uuid FROM intervention_updates WHERE intervention_id = :id))"""


def photos_of(intervention_id):
    """The before and after photos of an intervention, oldest first."""
    return rows(f"{PHOTOS_OF} ORDER BY created_at, rowid", {"id": str(intervention_id)})


def count_photos(intervention_id, role, db=None):
    return (db or get_db()).execute(f"SELECT COUNT(*) FROM ({PHOTOS_OF}) WHERE role = :role",
                                    {"id": str(intervention_id), "role": role}).fetchone()[0]


def pending_photos(intervention_id):
    """How many photos the phone announced that have not arrived yet."""
    return get_db().execute(
        """SELECT COUNT(DISTINCT j.value) FROM intervention_updates u, json_each(u.photo_uuids) j
           WHERE u.intervention_id = ? AND j.value NOT IN (SELECT uuid FROM photos)""",
        [intervention_id]).fetchone()[0]


def map_features(scope=None, filters=None):
    """What a map marker needs, for the interventions matching the filters."""
    where, params = _where(filters, scope)
    return rows(
        f"""SELECT i.id, i.kind, i.status, i.scheduled_on, i.time_from, i.time_to, b.lat, b.lon,
                   b.address, c.name AS contractor_name,
                   (SELECT COUNT(*) FROM intervention_reports ir WHERE ir.intervention_id = i.id) AS report_count
            FROM {INTERVENTION_FROM} WHERE {where} ORDER BY i.scheduled_on, i.id""", params)


# --- export and indicators --------------------------------------------------------------

def export_rows(since, until, scope=None):
    """Interventions scheduled in [since, until] with their linked reports and the oldest report's date."""
    where, params = _where({"since": since, "until": until}, scope)
    return rows(
        f"""SELECT {INTERVENTION_COLUMNS},
                   (SELECT GROUP_CONCAT(ir.report_uuid, ' ') FROM
                      (SELECT report_uuid FROM intervention_reports WHERE intervention_id = i.id
                       ORDER BY report_uuid) ir) AS report_uuids,
                   (SELECT MIN(r.created_at) FROM intervention_reports ir JOIN reports r ON r.uuid = ir.report_uuid
                     WHERE ir.intervention_id = i.id) AS first_report_at
            FROM {INTERVENTION_FROM} WHERE {where}
            ORDER BY i.scheduled_on, i.time_from, i.id""", params)
