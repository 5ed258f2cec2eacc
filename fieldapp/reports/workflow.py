"""The report workflow: which status may follow which, and who makes each move, in one table.

new -> verified -> planned -> in_progress -> resolved, or rejected / duplicate from new or verified.
The operator (or a coordinator) verifies, rejects and marks duplicates on the report page; the
interventions area moves linked reports on through `set_status`.
"""
from flask_babel import lazy_gettext as _l

from fieldapp.audit import record_event
from fieldapp.db import get_db, now
from fieldapp.reports import mail, queries

BY_HAND = "by_hand"            # a person with a WORKFLOW_ROLES role, on the report page
BY_INTERVENTION = "by_intervention"  # the interventions area, through set_status()
WORKFLOW_ROLES = ("operator", "coordinator")

TRANSITIONS = {
    ("new", "verified"): BY_HAND,
    ("new", "rejected"): BY_HAND,
    ("new", "duplicate"): BY_HAND,
    ("verified", "rejected"): BY_HAND,
    ("verified", "duplicate"): BY_HAND,
    ("verified", "planned"): BY_INTERVENTION,
    ("verified", "in_progress"): BY_INTERVENTION,  # linked to an intervention already under way
    ("planned", "in_progress"): BY_INTERVENTION,
    ("planned", "resolved"): BY_INTERVENTION,
    ("in_progress", "resolved"): BY_INTERVENTION,
    ("planned", "verified"): BY_INTERVENTION,      # the intervention was cancelled
    ("in_progress", "verified"): BY_INTERVENTION,
}

# ALER coordination (fieldapp/governance/aler.py): the office passes a report on an ALER building to
# ALER, whose office then takes it on or resolves it. Each move stores its date in its own column.
TO_ALER = "to_aler"   # the operator or a coordinator
BY_ALER = "by_aler"   # the ALER office
TRANSITIONS.update({
    ("new", "with_aler"): TO_ALER,
    ("verified", "with_aler"): TO_ALER,
    ("with_aler", "aler_taken"): BY_ALER,
    ("with_aler", "resolved"): BY_ALER,
    ("aler_taken", "resolved"): BY_ALER,
})
ALER_STAMPS = {"with_aler": "aler_passed_at", "aler_taken": "aler_taken_at", "resolved": "aler_resolved_at"}
MOVERS = {TO_ALER: WORKFLOW_ROLES, BY_ALER: ("aler",)}


class TransitionError(ValueError):
    """A move the workflow refuses; .message is a translatable explanation."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class StaleReport(Exception):
    """The report changed since the version the user started from."""


def next_by_hand(status):
    """The statuses a person may move a report to from `status`."""
    return [to for (frm, to), by in TRANSITIONS.items() if frm == status and by == BY_HAND]


def transition(report, to, user, note=None, duplicate_of=None, version=None, by=BY_HAND, db=None):
    """Move `report` to `to`, recording who, when and why; returns the updated report.

    Moving a report to the status it already has changes nothing (a repeated click, a replay).
    """
    db = db or get_db()
    if report["status"] == to:
        return report
    if by == BY_HAND and (user is None or user.role not in WORKFLOW_ROLES):
        raise TransitionError(_l("Only the operator or a coordinator can change the status of a report."))
    if by in (TO_ALER, BY_ALER) and (user is None or user.role not in MOVERS[by]):
        raise TransitionError(
            _l("Only the operator or a coordinator can pass a report to ALER, and only ALER can take it on."))
    if TRANSITIONS.get((report["status"], to)) != by:
        raise TransitionError(_l("A report in this status cannot be moved there."))
    note = (note or "").strip() or None
    if to == "rejected" and not note:
        raise TransitionError(_l("Give the reason for rejecting the report."))
    if to == "duplicate":
        original = queries.report(duplicate_of, db=db) if duplicate_of else None
        if original is None or original["uuid"] == report["uuid"] or original["status"] in ("duplicate", "rejected"):
            raise TransitionError(
                _l("Choose the report this one repeats: an existing report, not rejected and not itself a duplicate."))
    else:
        duplicate_of = None
    with db.atomic():
        if by in (TO_ALER, BY_ALER):
            # First the date: the table refuses a report with ALER that has no date of passing.
            queries.stamp_aler(report["uuid"], ALER_STAMPS[to], now(), db=db)
        if not queries.update_status(report["uuid"], to, version or report["version"], duplicate_of, now(), db=db):
            raise StaleReport(report["uuid"])
        record_event("report", report["uuid"], report["status"], to, note, db=db)
        mail.status_changed(db, report["uuid"], to)  # the resident who asked hears of it, if this commits
    return queries.report(report["uuid"], db=db)


def set_status(uuid, to_status, note=None, db=None):
    """For the interventions area: move a linked report to planned, in_progress or resolved, or back
    to verified when its intervention is cancelled. Raises LookupError or TransitionError."""
    db = db or get_db()
    report = queries.report(uuid, db=db)
    if report is None:
        raise LookupError(f"no report {uuid}")
    return transition(report, to_status, user=None, note=note, by=BY_INTERVENTION, db=db)
