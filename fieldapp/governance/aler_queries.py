"""SQL of ALER coordination: reports passed to ALER, interventions on its buildings, monthly counts.

Nothing here reads a household: ALER's office sees buildings, common areas and counts only.
"""
from fieldapp.db import get_db

PASSED_COLUMNS = """r.uuid, r.status, r.area, r.category, r.severity, r.description, r.created_at, r.version,
    r.aler_passed_at, r.aler_taken_at, r.aler_resolved_at, b.code AS building_code, b.address,
    b.owner, q.name AS quartiere"""
PASSED_FROM = """reports r JOIN buildings b ON b.id = r.building_id JOIN quartieri q ON q.id = b.quartiere_id"""


def passed_reports(limit=200):
    """The reports passed to ALER: open ones first (oldest passed first), then the resolved, newest first."""
    return list(get_db().query(f"""
        SELECT {PASSED_COLUMNS} FROM {PASSED_FROM}
        WHERE r.aler_passed_at IS NOT NULL
        ORDER BY r.status = 'resolved', CASE WHEN r.status = 'resolved' THEN NULL ELSE r.aler_passed_at END,
                 r.aler_resolved_at DESC, r.uuid
        LIMIT ?""", [limit]))


def passed_report(uuid):
    return next(get_db().query(f"SELECT {PASSED_COLUMNS} FROM {PASSED_FROM} WHERE r.uuid = ?", [uuid]), None)


def interventions(since_day, limit=100):
    """Interventions on ALER buildings scheduled from `since_day` on; no notes, no tenant instructions."""
    return list(get_db().query("""
        SELECT i.id, i.kind, i.status, i.scheduled_on, i.time_from, i.time_to, i.done_at,
               b.code AS building_code, b.address, q.name AS quartiere, c.name AS contractor_name,
               (SELECT COUNT(*) FROM intervention_reports ir WHERE ir.intervention_id = i.id) AS report_count
        FROM interventions i JOIN buildings b ON b.id = i.building_id JOIN quartieri q ON q.id = b.quartiere_id
        JOIN contractors c ON c.id = i.contractor_id
        WHERE b.owner = 'aler' AND i.scheduled_on >= ?
        ORDER BY i.scheduled_on DESC, i.time_from DESC, i.id DESC LIMIT ?""", [since_day, limit]))


def building_month(since, until, first_day, last_day):
    """One row per ALER building with the month's counts; since/until are UTC bounds of the local month."""
    return list(get_db().query("""
        SELECT b.id, b.code, b.address, b.lat, b.lon, q.name AS quartiere,
          (SELECT COUNT(*) FROM reports r WHERE r.building_id = b.id
             AND r.created_at >= :since AND r.created_at < :until) AS filed,
          (SELECT COUNT(*) FROM reports r WHERE r.building_id = b.id
             AND r.aler_passed_at >= :since AND r.aler_passed_at < :until) AS passed,
          (SELECT COUNT(*) FROM reports r WHERE r.building_id = b.id
             AND r.aler_taken_at >= :since AND r.aler_taken_at < :until) AS taken,
          (SELECT COUNT(*) FROM reports r WHERE r.building_id = b.id
             AND r.aler_resolved_at >= :since AND r.aler_resolved_at < :until) AS resolved,
          (SELECT COUNT(*) FROM interventions i WHERE i.building_id = b.id AND i.status <> 'cancelled'
             AND i.scheduled_on BETWEEN :first AND :last) AS interventions,
          (SELECT COUNT(*) FROM interventions i WHERE i.building_id = b.id
             AND i.done_at >= :since AND i.done_at < :until) AS interventions_done
        FROM buildings b JOIN quartieri q ON q.id = b.quartiere_id
        WHERE b.owner = 'aler' ORDER BY b.code""",
        {"since": since, "until": until, "first": first_day, "last": last_day}))
