"""Closed vocabularies of meetings, with their interface labels."""
from flask_babel import lazy_gettext as _l

from fieldapp.bounds import BOUNDS

# Where the meeting belongs: the two pilot areas, or another building or quartiere.
CONTEXTS = {
    "borgo_loreto": _l("Borgo Loreto"),
    "pagliari": _l("Largo Pagliari 13 / via Altobello Melone 22"),
    "building": _l("Another building"),
    "quartiere": _l("Another quartiere"),
}
PILOT_CONTEXTS = ("borgo_loreto", "pagliari")

KINDS = {
    "assembly": _l("Assembly"),
    "talk_group": _l("Talk group"),
    "workshop": _l("Workshop"),
    "neighbourhood_event": _l("Neighbourhood event"),
    "services_meeting": _l("Meeting with the services"),
}

# Participants are counted by group, never named: (column, label).
PARTICIPANT_GROUPS = {
    "participants_public_housing": _l("Public-housing residents"),
    "participants_other_residents": _l("Other residents"),
    "participants_services": _l("Services"),
    "participants_third_sector": _l("Third sector"),
    "participants_committees": _l("Neighbourhood committees"),
}

TOPICS = {
    "common_areas": _l("Care of common areas"),
    "waste": _l("Waste and cleanliness"),
    "coexistence": _l("Living together, rules"),
    "heating": _l("Heating and energy"),
    "rent": _l("Rent and arrears"),
    "safety": _l("Safety"),
    "green_spaces": _l("Courtyards and green spaces"),
    "children_youth": _l("Children and young people"),
    "elderly": _l("Elderly people"),
    "services_access": _l("Access to services"),
    "activities": _l("Shared activities"),
}

OUTCOMES = {
    "agreement": _l("Agreement reached"),
    "working_group": _l("Working group formed"),
    "request_to_services": _l("Request to the services"),
    "event_planned": _l("Event or activity planned"),
    "information": _l("Information given"),
    "issue_escalated": _l("Issue passed to the Comune or ALER"),
    "no_agreement": _l("No agreement yet"),
}

SUMMARY_MAX = 500
STEP_MAX = 140
PLACE_MAX = 120
# Most people counted in one group at one meeting; more is a typing slip.
PARTICIPANTS_MAX = int(BOUNDS["participants"].high)
STEPS_MAX = 8
