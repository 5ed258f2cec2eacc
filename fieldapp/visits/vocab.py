"""Closed vocabularies of home visits and follow-ups, with their interface labels."""
from flask_babel import lazy_gettext as _l

from fieldapp.bounds import BOUNDS

KINDS = {
    "monitoring": _l("Monitoring"),
    "educational": _l("Educational"),
    "financial": _l("Financial tutoring / arrears"),
    "energy": _l("Energy / heating"),
    "mediation": _l("Conflict mediation"),
    "other": _l("Other"),
}

PRESENT = {
    "leaseholder": _l("Leaseholder"),
    "members": _l("Other household members"),
    "minors": _l("Children"),
    "guests": _l("Guests or non-members"),
    "relatives": _l("Relatives or carers"),
    "services": _l("Staff of other services"),
}

# Closed flags, never a diary: grouped as the form shows them.
TOPIC_GROUPS = {
    "household": (_l("Household"), {
        "household_changes": _l("Changes in the household"),
        "guests": _l("Guests living in the flat"),
    }),
    "flat": (_l("State of the flat"), {
        "damp": _l("Damp or mould"),
        "heating": _l("Heating"),
        "hazards": _l("Hazards"),
        "maintenance": _l("Maintenance request"),
    }),
    "building": (_l("Building and neighbours"), {
        "common_areas": _l("Common-area problems"),
        "neighbour_conflicts": _l("Neighbour conflicts"),
    }),
}
TOPICS = {code: label for _title, group in TOPIC_GROUPS.values() for code, label in group.items()}

FRAILTY = {
    "elderly_alone": _l("Elderly person living alone"),
    "reduced_mobility": _l("Disability or reduced mobility"),
    "isolation": _l("Social isolation"),
    "care_load": _l("Caring for a dependent person"),
}

ARREARS_TRENDS = {
    "reduced": _l("Reduced"),
    "stable": _l("Unchanged"),
    "grown": _l("Grown"),
    "settled": _l("Settled"),
    "unknown": _l("Not discussed"),
}

REPAYMENT_PLANS = {
    "none": _l("No plan"),
    "proposed": _l("Proposed"),
    "on_track": _l("Active, on track"),
    "late": _l("Active, payments late"),
    "completed": _l("Completed"),
}

REFERRALS = {
    "social_services": _l("Social services"),
    "technical_office": _l("Technical office"),
    "caf_isee": _l("CAF / ISEE"),
    "cps_serd": _l("CPS / SerD"),
    "other": _l("Other service"),
}

OUTCOMES = {
    "held": _l("Visit held"),
    "partial": _l("Visit cut short"),
    "not_home": _l("Nobody at home"),
    "refused": _l("Visit refused"),
    "postponed": _l("Postponed by the household"),
}

FOLLOWUP_ACTIONS = {
    "revisit": _l("New home visit"),
    "phone_call": _l("Phone call"),
    "accompany": _l("Accompany to an office"),
    "contact_services": _l("Contact social services"),
    "technical_request": _l("Maintenance request to the owner"),
    "documents": _l("Help with documents / ISEE"),
    "repayment_check": _l("Check the repayment plan"),
    "other": _l("Other action"),
}

FOLLOWUP_STATUSES = {
    "open": _l("Open"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}

# Longest note, in characters: a few lines, not a diary.
NOTE_MAX = 500
# Most people present at a home visit (fieldapp.bounds); more is a typing slip.
PRESENT_MAX = int(BOUNDS["present_count"].high)
# Most follow-ups one visit can set.
FOLLOWUPS_MAX = 8

# How long a visit took, in minutes, when the tutor says so (the staff hours of the report to the Region).
DURATION_MIN, DURATION_MAX = int(BOUNDS["visit_minutes"].low), int(BOUNDS["visit_minutes"].high)
