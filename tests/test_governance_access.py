"""Access samples of the governance dashboard (see test_access.py): coordinators only."""

SAMPLES = {
    "governance.dashboard": ("GET", lambda db: "/governance/?period=2026-11", None),
}

