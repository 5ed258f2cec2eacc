"""Contribution states: computed -> reviewed -> approved -> in determina -> credited, or rejected.

Only the latest version of a season moves; older versions stay as they were (approved ones included).
Review and approval are here; the determina and the credit carry money, and live in acts.py. A case to
check is settled here with a decision that becomes an input (fieldapp/heating/cases.py).
"""
import json

from flask_babel import gettext as _

from fieldapp.audit import audit, record_event
from fieldapp.db import get_db, now
from fieldapp.heating import cases, queries
from fieldapp.heating.compute import result_columns

# action: (from states, to state, roles allowed)
ACTIONS = {
    "review": (("computed",), "reviewed", ("equipe",)),
    "approve": (("reviewed",), "approved", ("coordinator",)),
}
REJECTABLE = ("to_check", "computed", "reviewed")


class WorkflowError(Exception):
    """The move is refused; the message says why and nothing changed."""


def _open_season(season_code):
    if queries.season(season_code)["closed_at"]:
        raise WorkflowError(_("The season is closed: its contributions no longer change."))


def move(season_code, action, ids=None):
    """Move the selected rows (or every row ready for it) of the latest version; returns how many moved."""
    sources, target, _roles = ACTIONS[action]
    _open_season(season_code)
    version = queries.latest_version(season_code)
    if version is None:
        raise WorkflowError(_("Nothing has been computed for this season yet."))
    rows = {r["id"]: r for r in queries.contributions(version["id"])}
    if ids:
        chosen = [rows[i] for i in ids if i in rows]
        if len(chosen) != len(set(ids)):
            raise WorkflowError(_("Some of the chosen rows are not in the latest version."))
        blocked = [r["household_code"] for r in chosen if r["status"] == "to_check"]
        if blocked:
            raise WorkflowError(_("Nothing approved: these households are still to check: %(codes)s.",
                                  codes=", ".join(blocked)))
        wrong = [r["household_code"] for r in chosen if r["status"] not in sources]
        if wrong:
            raise WorkflowError(_("Nothing changed: these households are not ready for this step: %(codes)s.",
                                  codes=", ".join(wrong)))
    else:
        chosen = [r for r in rows.values() if r["status"] in sources]
    if not chosen:
        raise WorkflowError(_("No household is ready for this step."))
    db = get_db()
    with db.atomic():
        at = now()
        for row in chosen:
            queries.set_status([row["id"]], target, at=at)
            record_event("heating_contribution", row["id"], row["status"], target, db=db)
    return len(chosen)


def reject(contribution, reason):
    _open_season(contribution["season"])
    if contribution["status"] not in REJECTABLE:
        raise WorkflowError(_("Only contributions not yet approved can be rejected."))
    latest = queries.latest_version(contribution["season"])
    if latest["id"] != contribution["version_id"]:
        raise WorkflowError(_("Only the latest version can change."))
    db = get_db()
    with db.atomic():
        queries.set_status([contribution["id"]], "rejected", reason=reason, at=now())
        record_event("heating_contribution", contribution["id"], contribution["status"], "rejected", reason, db=db)


def settle(row, decision, note, user):
    """Record the decision on the case of `row` (latest version, not yet approved) and apply it there.

    Returns the contribution's new status. The decision is stored apart, so later versions carry it.
    """
    _open_season(row["season"])
    inputs = json.loads(row["inputs"])
    if queries.latest_version(row["season"])["id"] != row["version_id"]:
        raise WorkflowError(_("Only the latest version can change."))
    if inputs.get("case") not in cases.SETTLEABLE or row["status"] not in cases.OPEN:
        raise WorkflowError(_("Only a case to check, not yet approved, can be settled."))
    if decision not in cases.DECISIONS:
        raise WorkflowError(_("Choose a decision."))
    if not note or len(note) > 300:
        raise WorkflowError(_("Write a note of up to 300 characters: why this decision."))
    if decision == "pro_rata" and not cases.pro_rata_ready(inputs):
        raise WorkflowError(_("Pro rata cannot be computed: the flat has no bill or no reading in the reference "
                              "season."))
    if decision == "estimate" and not cases.as_computed_ready(inputs):
        raise WorkflowError(_("The contribution cannot be computed as it is: this household has no reading in "
                              "the reference season. Pay pro rata, hold or exclude."))
    settlement = {"season": row["season"], "household_code": row["household_code"], "unit_id": row["unit_id"],
                  "reason": inputs["case"], "decision": decision, "note": note, "decided_at": now(),
                  "decided_by": user.username}
    inputs.pop("settlement", None)
    status, reason = cases.apply(inputs, settlement, "to_check", inputs["case"])
    db = get_db()
    with db.atomic():
        db["heating_settlements"].insert({**settlement, "decided_by": user.id})
        db["heating_contributions"].update(row["id"], {
            **result_columns(inputs, status), "status": status, "reason": reason,
            "inputs": json.dumps(inputs, sort_keys=True), "updated_at": settlement["decided_at"]})
        record_event("heating_contribution", row["id"], row["status"], status, note, db=db)
        audit("heating_settlement", target=row["household_code"],
              detail={"season": row["season"], "contribution": row["id"], "case": inputs["case"],
                      "decision": decision}, db=db)
    return status
