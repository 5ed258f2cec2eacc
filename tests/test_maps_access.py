"""Access samples of the map (see test_access.py)."""

SAMPLES = {
    "maps.map_page": ("GET", lambda db: "/map", None),
}
