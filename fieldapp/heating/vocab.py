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
    "not_in_registry": _l("Household missing from the registry (moved out?)"),
    "not_eligible": _l("Not eligible: the household has no heating flag"),
    "no_bill": _l("No bill for the building this season"),
    "no_isee": _l("No ISEE recorded, and the season has an ISEE ceiling"),
    "isee_over_ceiling": _l("ISEE over the season's ceiling"),
    "moved": _l("Moved in or out: days occupied below the season"),
    "no_reference": _l("No data for this household and flat in the reference season: rule A cannot apply"),
    "no_reference_days": _l("No days occupied in the reference season"),
    "estimated": _l("Estimated reading"),
    "zero_units": _l("Zero units on the allocator"),
    "units_outlier": _l("Units far outside the building's spread"),
    "excluded": _l("Excluded by the equipe"),
}
# What the equipe decides on a case to check.
DECISIONS = {
    "pro_rata": _l("Pay pro rata by days: the flat's contribution × days occupied / days in the season"),
    "estimate": _l("Pay as computed, on the estimate or the readings as they are"),
    "hold": _l("Hold until an actual reading"),
    "exclude": _l("Exclude"),
}
RULES = {
    "A": _l("Rule A: pay what was billed the year before (the proposal's rule)"),
    "B": _l("Rule B: weather-fair, units capped by degree-days"),
}
ACTIONS = {
    "review": _l("Mark the computed ones as reviewed"),
    "approve": _l("Approve the reviewed ones"),
}
# Why an entry of the ledger pays or recovers: what changed since the contribution last paid.
CAUSES = {
    "first": _l("contribution of the season"),
    "readings": _l("readings"),
    "bill": _l("bill"),
    "isee": _l("ISEE"),
    "solidarity": _l("solidarity"),
    "rule": _l("rule"),
    "settlement": _l("settlement"),
    "eligibility": _l("eligibility"),
    "correction": _l("correction"),
    "later_check": _l("later check of the self-declaration (DPR 445/2000 art. 71 and 75)"),
    "before_ledger": _l("credited before the ledger"),
}
KINDS = {"payment": _l("Payment"), "recovery": _l("Recovery")}
RECOVERY_STATES = {"to_recover": _l("To recover"), "collected": _l("Collected"), "offset": _l("Offset")}


def cause_label(code):
    """'readings+isee' -> 'readings, ISEE' in the user's language."""
    return ", ".join(str(CAUSES.get(part, part)) for part in (code or "").split("+") if part)
