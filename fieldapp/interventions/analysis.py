"""SQL of the interventions' analysis page: time to resolution, recurring problems, cost per building."""
from fieldapp.interventions.queries import rows
from fieldapp.where import Where


def resolution_days(since=None, until=None):
    """Days from each report to its resolution by a done intervention (done_at in [since, until))."""
    where = Where("i.status = 'done'").when(since, "i.done_at >= ?").when(until, "i.done_at < ?")
    return rows(
        f"""SELECT r.uuid, r.area, r.category, b.id AS building_id, b.address, q.name AS quartiere_name,
                   julianday(i.done_at) - julianday(r.created_at) AS days
            FROM intervention_reports ir JOIN interventions i ON i.id = ir.intervention_id
            JOIN reports r ON r.uuid = ir.report_uuid JOIN buildings b ON b.id = r.building_id
            JOIN quartieri q ON q.id = b.quartiere_id
            WHERE {where} ORDER BY days""", where.params)


def recurrence(since=None, minimum=2, limit=50):
    """Building and common area pairs with at least `minimum` reports (not rejected nor duplicates)."""
    where = Where("r.status NOT IN ('rejected', 'duplicate')").when(since, "r.created_at >= ?")
    return rows(
        f"""SELECT b.id AS building_id, b.code AS building_code, b.address, r.area,
                   COUNT(DISTINCT r.uuid) AS reports, MIN(r.created_at) AS first_at, MAX(r.created_at) AS last_at,
                   COUNT(DISTINCT ir.intervention_id) AS interventions
            FROM reports r JOIN buildings b ON b.id = r.building_id
            LEFT JOIN intervention_reports ir ON ir.report_uuid = r.uuid
            WHERE {where}
            GROUP BY b.id, r.area HAVING COUNT(DISTINCT r.uuid) >= ?
            ORDER BY COUNT(DISTINCT r.uuid) DESC, b.address, r.area LIMIT ?""", [*where.params, minimum, limit])


def cost_per_building(since=None, until=None):
    """Done interventions per building: how many, what they cost, and per flat."""
    where = Where("i.status = 'done'").when(since, "i.done_at >= ?").when(until, "i.done_at < ?")
    return rows(
        f"""SELECT b.id AS building_id, b.code AS building_code, b.address, q.name AS quartiere_name,
                   COUNT(*) AS interventions, SUM(i.actual_cost_cents) AS actual_cents,
                   SUM(COALESCE(i.estimated_cost_cents, 0)) AS estimated_cents,
                   (SELECT COUNT(*) FROM units u WHERE u.building_id = b.id) AS units
            FROM interventions i JOIN buildings b ON b.id = i.building_id
            JOIN quartieri q ON q.id = b.quartiere_id
            WHERE {where}
            GROUP BY b.id ORDER BY actual_cents DESC, b.address""", where.params)
