"""Access samples of the exports and ALER routes (see test_access.py)."""


def aler_report(db):
    """A report on an ALER building of presidio P-BLO (the demo has some in every state)."""
    return next(db.query("""SELECT r.uuid FROM reports r JOIN buildings b ON b.id = r.building_id
                            WHERE b.owner = 'aler' AND b.presidio_code = 'P-BLO'
                            ORDER BY r.created_at LIMIT 1"""))["uuid"]


SAMPLES = {
    "governance.exports": ("GET", lambda db: "/governance/exports", None),
    "governance.export_visits": ("GET", lambda db: "/governance/exports/visits.csv", None),
    "governance.export_followups": ("GET", lambda db: "/governance/exports/followups.xlsx", None),
    "governance.export_reports": ("GET", lambda db: "/governance/exports/reports.csv", None),
    "governance.export_meetings": ("GET", lambda db: "/governance/exports/meetings.csv", None),
    "governance.export_audit": ("GET", lambda db: "/governance/exports/audit.csv", None),
    "governance.aler_home": ("GET", lambda db: "/governance/aler", None),
    "governance.aler_monthly": ("GET", lambda db: "/governance/aler/month.csv?month=2026-11", None),
    "governance.aler_geojson": ("GET", lambda db: "/governance/aler/month.geojson", None),
    "governance.aler_pass": ("POST", lambda db: f"/governance/aler/reports/{aler_report(db)}/pass", "presidio"),
    "governance.aler_report_status": ("POST", lambda db: f"/governance/aler/reports/{aler_report(db)}/status", None),
}
