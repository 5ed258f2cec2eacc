"""Access samples of the privacy routes (see test_access.py)."""

SAMPLES = {
    "admin.audit_export": ("GET", lambda db: "/admin/audit.csv", None),
}
