"""Access sample of the API description (see test_access.py)."""

SAMPLES = {
    "openapi.description": ("GET", lambda db: "/openapi.json", None),
}
