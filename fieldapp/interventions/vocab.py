"""Closed vocabularies of interventions, with their interface labels."""
from flask_babel import lazy_gettext as _l

from fieldapp.bounds import BOUNDS

# What the contracted firm does (the kinds of work named in the programme).
KINDS = {
    "clearance": _l("Clearance (sgombero)"),
    "cleaning": _l("Extraordinary cleaning"),
    "rodent_control": _l("Rodent control (derattizzazione)"),
    "pest_control": _l("Pest control (disinfestazione)"),
    "biological": _l("Disposal of biological material"),
    "bulky": _l("Collection of bulky items"),
    "repair": _l("Repair"),
    "other": _l("Other"),
}

# The title of the notice on the building entrance, for each kind.
NOTICE_TITLES = {
    "clearance": _l("Clearance of the common areas"),
    "cleaning": _l("Extraordinary cleaning of the common areas"),
    "rodent_control": _l("Rodent control"),
    "pest_control": _l("Pest control"),
    "biological": _l("Removal and disposal of biological material"),
    "bulky": _l("Collection of bulky items"),
    "repair": _l("Repair work"),
    "other": _l("Maintenance work"),
}

# What tenants must do, by kind; the operator may add more on each intervention.
TENANT_INSTRUCTIONS = {
    "clearance": [_l("Remove your belongings from the areas listed above before the day of the work: "
                     "anything left there will be cleared away and cannot be claimed back."),
                  _l("Leave the access to these areas free on the day.")],
    "cleaning": [_l("Leave the areas listed above free of objects on the day."),
                 _l("Floors may be wet: take care on the stairs.")],
    "rodent_control": [_l("Do not touch or move the bait stations."),
                       _l("Keep children and pets away from the bait stations.")],
    "pest_control": [_l("Keep the windows facing the treated areas closed during the work."),
                     _l("Keep children and pets away from the treated areas until the time the firm indicates.")],
    "biological": [_l("Do not enter the areas listed above while the work is going on.")],
    "bulky": [_l("Put nothing else next to the items to be collected.")],
    "repair": [_l("Access to the areas listed above may be limited during the work.")],
    "other": [],
}
GENERAL_INSTRUCTIONS = [_l("Please follow the directions of the firm's staff.")]

STATUSES = {
    "planned": _l("Planned"),
    "notified": _l("Tenants notified"),
    "in_progress": _l("In progress"),
    "done": _l("Work done"),
    "cancelled": _l("Called off"),
}
OPEN_STATUSES = ("planned", "notified", "in_progress")

# The only ways an intervention may move; anything else is out of order.
TRANSITIONS = {
    "planned": ("notified", "cancelled"),
    "notified": ("in_progress", "cancelled"),
    "in_progress": ("done", "cancelled"),
    "done": (),
    "cancelled": (),
}

# What each step does to the reports linked to the intervention.
REPORT_STATUS_FOR = {"in_progress": "in_progress", "done": "resolved", "cancelled": "verified"}

PHOTO_ROLES = {"before": _l("Before"), "after": _l("After")}

# Reports further than this from the intervention's building need an explicit confirmation.
NEARBY_METRES = 300
# A cost above this is a typing slip, not a cleanup.
MAX_COST_EUR = int(BOUNDS["cost"].high)
NOTE_MAX = 1000
REASON_MAX = 300
INSTRUCTIONS_MAX = 500

# Starting or finishing before the scheduled day is allowed only once the user confirms it.
EARLY_STEPS = {
    "in_progress": _l("The work is scheduled for a later day: the tenants expect it then. "
                      "Tick the confirmation to start it today anyway."),
    "done": _l("The work is scheduled for a later day: tick the confirmation to mark it done today anyway."),
}
