"""Closed vocabularies of the arrears team, with their interface labels."""
from flask_babel import lazy_gettext as _l

from fieldapp.registry.api import ARREARS_BANDS

BANDS = ARREARS_BANDS  # one set of band labels: the registry's

BAND_ORDER = ["none", "upto_500", "500_2000", "over_2000"]
EARLY_BANDS = ("upto_500", "500_2000")

FLAGS = {
    "entered_early": _l("Entered the early band"),
    "moved_up": _l("Moved up a band"),
    "first_missed": _l("First missed month"),
    "instalment_missed": _l("Instalment missed"),
}

TRENDS = {
    "up": _l("Growing"),
    "stable": _l("Stable"),
    "down": _l("Falling"),
    "unknown": _l("Not enough months"),
}

STAGES = {
    "flagged": _l("Flagged"),
    "contacted": _l("Contacted"),
    "entitlements": _l("Entitlements checked"),
    "plan": _l("Repayment plan"),
    "reminder": _l("Reminder"),
    "formal_notice": _l("Formal notice"),
    "conference": _l("Case conference"),
    "social_services": _l("Referred to social services"),
    "decadenza": _l("Decadenza flagged"),
}

CHANNELS = {
    "phone": _l("Phone"),
    "visit": _l("Home visit"),
    "office": _l("At the office"),
    "letter": _l("Letter"),
}

OUTCOMES = {
    "reached": _l("Reached, talked it through"),
    "appointment": _l("Appointment agreed"),
    "promise": _l("Promised to pay"),
    "refused": _l("Refused to talk"),
    "no_answer": _l("No answer"),
    "wrong_contact": _l("Contact details wrong"),
}

CAUSES = {
    "job_loss": _l("Job loss (incolpevole)"),
    "cassa_integrazione": _l("Cassa integrazione (incolpevole)"),
    "contract_not_renewed": _l("Contract not renewed (incolpevole)"),
    "business_closure": _l("Business closure (incolpevole)"),
    "illness_death": _l("Illness or death in the family (incolpevole)"),
    "income_drop": _l("Lower income, other reasons"),
    "unexpected_expense": _l("Unexpected expense"),
    "budgeting": _l("Difficulty managing the budget"),
    "dispute": _l("Disputes the charges"),
    "unknown": _l("Not known yet"),
}
INCOLPEVOLE = ("job_loss", "cassa_integrazione", "contract_not_renewed", "business_closure", "illness_death")

PLAN_STATUSES = {
    "proposed": _l("Proposed"),
    "active": _l("Active"),
    "late": _l("Late"),
    "broken": _l("Broken"),
    "completed": _l("Completed"),
}

AGENDA_REASONS = {
    "broken_plan": _l("Repayment plan broken"),
    "high_balance": _l("Balance at or above the conference threshold"),
    "no_contact": _l("No contact for too long"),
}

DECISIONS = {
    "tutor_visit": _l("Ask the tutor for a home visit"),
    "new_plan": _l("Propose a new repayment plan"),
    "reminder": _l("Send a reminder"),
    "formal_notice": _l("Send a formal notice"),
    "social_services": _l("Refer to social services"),
    "solidarity": _l("File for the solidarity contribution"),
    "decadenza": _l("Flag for the decadenza procedure"),
    "monitor": _l("Keep monitoring"),
}

# The indicator tables' columns and row groups, as the page names them (the CSV keeps the codes).
COLUMNS = {
    "period": _l("Month"),
    "share_over_500": _l("Share over 500 EUR (%)"),
    "from": _l("From band"),
    "cases_contacted": _l("Cases contacted"),
    "median_days": _l("Median days"),
    "max_days": _l("Longest, in days"),
    "status": _l("Status"),
    "plans": _l("Number of plans"),
    "agreed_eur": _l("EUR agreed"),
    "collected_eur": _l("EUR collected"),
    "share": _l("Share (%)"),
    "group": _l("Group"),
    "households": _l("Households"),
    "passed": _l("Passed 2,000 EUR"),
    "followed": _l("Followed by the team"),
    "not_followed": _l("Not followed by the team"),
}
INDICATOR_LABELS = {**BANDS, **PLAN_STATUSES, **COLUMNS}
