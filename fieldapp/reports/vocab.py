"""Closed vocabularies of reports, with their interface labels."""
from flask_babel import lazy_gettext as _l

# Where in the building.
AREAS = {
    "entrance": _l("Entrance hall"),
    "stairs": _l("Stairs"),
    "cellars": _l("Cellars"),
    "courtyard": _l("Courtyard"),
    "garage": _l("Garage"),
    "bin_area": _l("Bin area"),
    "green": _l("Green area"),
    "roof": _l("Roof / attic"),
    "other": _l("Other"),
}

CATEGORIES = {
    "waste": _l("Abandoned waste"),
    "bulky": _l("Bulky items"),
    "hygiene": _l("Poor hygiene"),
    "pests": _l("Pests (rats, cockroaches, pigeons)"),
    "biological": _l("Biological material"),
    "damage": _l("Damage / vandalism"),
    "other": _l("Other"),
}

SEVERITIES = {
    "minor": _l("Minor"),
    "moderate": _l("Moderate"),
    "serious": _l("Serious"),
    "urgent": _l("Urgent: a danger to people"),
}

# Labels say what the status means for a report; "new" is what the operator must do next.
STATUSES = {
    "new": _l("Awaiting verification"),
    "verified": _l("Verified"),
    "planned": _l("Intervention planned"),
    "in_progress": _l("Work in progress"),
    "resolved": _l("Resolved"),
    "rejected": _l("Rejected"),
    "duplicate": _l("Duplicate"),
    "with_aler": _l("Passed to ALER"),
    "aler_taken": _l("Taken on by ALER"),
}
OPEN_STATUSES = ("new", "verified", "planned", "in_progress", "with_aler", "aler_taken")

# Who filed the report: staff in the app, a resident on the public page, a partner app over Open311.
SOURCES = {
    "staff": _l("Staff"),
    "resident": _l("Resident (public page)"),
    "open311": _l("Partner app (Open311)"),
}

LOCATION_SOURCES = {
    "device": _l("Phone position"),
    "photo": _l("Photo position"),
    "building": _l("Building address"),
}
