"""SQL of the exports: each dataset of a period, limited to a presidio when the reader is a tutor.

Kept apart from the dashboard's queries because only the export pages read them. `presidio` None
means every presidio. Local days bound `visited_at`, `due_on` and `held_on` (local wall clock);
`since`/`until` are UTC timestamps for the `*_at` columns (until exclusive).
"""
from fieldapp.db import get_db

# A household's building, presidio and quartiere, after a join that names the household `h`.
PLACE = """JOIN units un ON un.id = h.unit_id JOIN buildings b ON b.id = un.building_id
    JOIN quartieri q ON q.id = b.quartiere_id"""


def visits_by_month(first, last, presidio=None):
    """Visits counted per month, presidio, quartiere and kind: no household, no note."""
    return list(get_db().query(f"""
        SELECT substr(v.visited_at, 1, 7) AS month, b.presidio_code, q.name AS quartiere, v.kind,
               COUNT(*) AS visits, COUNT(DISTINCT v.household_id) AS households,
               SUM(v.present_count) AS people
        FROM visits v JOIN households h ON h.id = v.household_id {PLACE}
        WHERE substr(v.visited_at, 1, 10) BETWEEN ? AND ? AND (? IS NULL OR b.presidio_code = ?)
        GROUP BY month, b.presidio_code, q.name, v.kind
        ORDER BY month, b.presidio_code, q.name, v.kind""", [first, last, presidio, presidio]))


def followups(first, last, presidio=None):
    """Follow-ups due in the period, with their household code and place; never who was assigned."""
    return list(get_db().query(f"""
        SELECT f.uuid, f.action, f.due_on, f.status, f.done_at, f.created_at, f.visit_uuid IS NOT NULL AS from_visit,
               h.code AS household_code, b.code AS building_code, b.presidio_code, q.name AS quartiere
        FROM followups f JOIN households h ON h.id = f.household_id {PLACE}
        WHERE f.due_on BETWEEN ? AND ? AND (? IS NULL OR b.presidio_code = ?)
        ORDER BY f.due_on, f.uuid""", [first, last, presidio, presidio]))


def reports(since, until, scope=None):
    """Reports filed in the period; a tutor's scope is their presidio's buildings plus their own reports."""
    where, params = "r.created_at >= ? AND r.created_at < ?", [since, until]
    if scope:
        where += " AND (b.presidio_code = ? OR r.created_by = ?)"
        params += [scope["presidio_code"], scope["user_id"]]
    return list(get_db().query(f"""
        SELECT r.uuid, r.created_at, r.updated_at, r.status, r.source, r.area, r.category, r.severity,
               r.description, r.far, r.duplicate_of, r.created_by, r.aler_passed_at, r.aler_taken_at,
               r.aler_resolved_at, b.code AS building_code, b.address, b.owner, b.presidio_code,
               q.name AS quartiere
        FROM reports r JOIN buildings b ON b.id = r.building_id JOIN quartieri q ON q.id = b.quartiere_id
        WHERE {where} ORDER BY r.created_at, r.uuid""", params))


def meetings(first, last):
    """Meetings held in the period with their participants by group; not their summary."""
    return list(get_db().query("""
        SELECT m.uuid, m.held_on, m.start_time, m.duration_minutes, m.context, m.kind, m.place,
               m.participants_public_housing, m.participants_other_residents, m.participants_services,
               m.participants_third_sector, m.participants_committees, m.topics, m.outcomes,
               b.code AS building_code, b.presidio_code, COALESCE(q.name, qb.name) AS quartiere
        FROM meetings m LEFT JOIN buildings b ON b.id = m.building_id
        LEFT JOIN quartieri q ON q.id = m.quartiere_id LEFT JOIN quartieri qb ON qb.id = b.quartiere_id
        WHERE m.held_on BETWEEN ? AND ? ORDER BY m.held_on, m.start_time, m.uuid""", [first, last]))


def audit_rows(since, until):
    return list(get_db().query(
        "SELECT * FROM audit_log WHERE at >= ? AND at < ? ORDER BY id", [since, until]))
