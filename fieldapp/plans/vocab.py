"""Closed vocabularies of individual educational plans, with their interface labels."""
from flask_babel import lazy_gettext as _l

# Need domains only (GDPR art. 9: the minimum), never diagnoses.
DOMAINS = {
    "housing_care": _l("Housing care"),
    "finances": _l("Finances"),
    "work_training": _l("Work and training"),
    "relations": _l("Relations"),
    "health_access": _l("Access to health services"),
    "parenting": _l("Parenting"),
    "community": _l("Community"),
}

# Who proposed the plan: a kind, never a person's name.
REFERRERS = {
    "tutor": _l("Condominium tutor"),
    "social_services": _l("Social services"),
    "health_services": _l("Health services"),
    "self": _l("The person themselves"),
}

# Decade of birth: enough for the indicators, not enough to identify anyone.
BIRTH_BANDS = {f"{decade}s": f"{decade}–{decade + 9}" for decade in range(1930, 2010, 10)}

SESSION_KINDS = {
    "home": _l("At home"),
    "presidio": _l("At the presidio"),
    "accompaniment": _l("Accompaniment"),
    "phone": _l("Phone call"),
}

CLOSING_REASONS = {
    "goals_reached": _l("Goals reached"),
    "withdrew": _l("The person withdrew consent"),
    "moved": _l("Moved away"),
    "transferred": _l("Passed to another service"),
    "other": _l("Other reason"),
}

# Goal-attainment scaling: 0 is the expected outcome; "attained" means 0 or more.
GAS_SCORES = {
    -2: _l("−2 much less than expected"),
    -1: _l("−1 less than expected"),
    0: _l("0 as expected"),
    1: _l("+1 more than expected"),
    2: _l("+2 much more than expected"),
}

REVIEW_DAYS = 90
GOAL_MAX = 200          # characters of a goal, its baseline and its target
SECTION_MAX = 1000      # characters of each art. 6 section
NOTE_MAX = 300          # characters of a session or review note
PROTOCOL_MAX = 40
STATUSES = {"active": _l("Active"), "closed": _l("Closed")}
