"""Closed vocabularies of community pacts, with their interface labels."""
from flask_babel import lazy_gettext as _l

KINDS = {
    "care": _l("Ordinary care"),
    "regeneration": _l("Regeneration"),
    "animation": _l("Community animation"),
}

PLACE_KINDS = {
    "building": _l("A building's common area"),
    "point": _l("A named place on the map"),
}

# The municipal office that signs the pacts; names of signatories stay with it, never here.
OFFICES = {"quartieri_beni_comuni": _l("Quartieri e Beni Comuni office")}

STATUSES = {
    "proposal": _l("Proposal"),
    "review": _l("Under review"),
    "signed": _l("Signed"),
    "active": _l("Active"),
    "check": _l("Being checked"),
    "closed": _l("Closed"),
    "renewed": _l("Renewed"),
    "revoked": _l("Revoked"),
}
# The ladder: from -> the steps allowed. A renewed pact runs on and comes to its next check.
STEPS = {
    "proposal": ("review", "revoked"),
    "review": ("signed", "revoked"),
    "signed": ("active", "revoked"),
    "active": ("check", "revoked"),
    "check": ("closed", "renewed", "revoked"),
    "renewed": ("check", "revoked"),
}
ENDED = ("closed", "revoked")

SIDES = {"residents": _l("Residents' side"), "municipality": _l("Municipality's side")}
FREQUENCIES = {
    "weekly": _l("Weekly"),
    "monthly": _l("Monthly"),
    "seasonal": _l("Each season"),
    "once": _l("Once"),
    "ongoing": _l("Throughout the pact"),
}

NEAR_METRES = 100     # reports this close to a pact's place count for its indicator
WINDOW_MONTHS = 6     # before and after signing
NAME_MAX = 120
TEXT_MAX = 200
NOTE_MAX = 300
