"""Closed vocabularies of the heating area."""
from flask_babel import lazy_gettext as _l

STATUSES = {
    "to_check": _l("To check"),
    "computed": _l("Computed"),
    "reviewed": _l("Reviewed"),
    "approved": _l("Approved"),
    "in_determina": _l("In determina"),
    "credited": _l("Credited"),
    "rejected": _l("Rejected"),
}
# Why a row is "to check" or was rejected by the computation itself.
REASONS = {
    "not_in_registry": _l("Household not in the registry (moved out?)"),
    "not_eligible": _l("Not eligible: the household has no heating flag"),
    "no_bill": _l("No bill for the building this season"),
    "no_isee": _l("No ISEE recorded, and the season has an ISEE ceiling"),
    "isee_over_ceiling": _l("ISEE over the season's ceiling"),
    "no_reference": _l("No data for this household and flat in the reference season: rule A cannot apply"),
    "no_reference_days": _l("No days occupied in the reference season"),
}
RULES = {
    "A": _l("Rule A: pay what was billed the year before (the proposal's rule)"),
    "B": _l("Rule B: weather-fair, units capped by degree-days"),
}
ACTIONS = {
    "review": _l("Mark the computed ones as reviewed"),
    "approve": _l("Approve the reviewed ones"),
    "determina": _l("Put the approved ones in the determina"),
    "credit": _l("Mark the ones in the determina as credited"),
}
