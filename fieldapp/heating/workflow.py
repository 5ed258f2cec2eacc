"""Contribution states: computed -> reviewed -> approved -> in determina -> credited, or rejected.

Only the latest version of a season moves; older versions stay as they were (approved ones included).
"""
from flask_babel import gettext as _

from fieldapp.audit import record_event
from fieldapp.db import get_db, now
from fieldapp.heating import queries

# action: (from states, to state, roles allowed)
ACTIONS = {
    "review": (("computed",), "reviewed", ("equipe",)),
    "approve": (("reviewed",), "approved", ("coordinator",)),
    "determina": (("approved",), "in_determina", ("equipe",)),
    "credit": (("in_determina",), "credited", ("equipe",)),
}
REJECTABLE = ("to_check", "computed", "reviewed")


class WorkflowError(Exception):
    """The move is refused; the message says why and nothing changed."""


def move(season_code, action, ids=None):
    """Move the selected rows (or every row ready for it) of the latest version; returns how many moved."""
    sources, target, _roles = ACTIONS[action]
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
    if contribution["status"] not in REJECTABLE:
        raise WorkflowError(_("Only contributions not yet approved can be rejected."))
    latest = queries.latest_version(contribution["season"])
    if latest["id"] != contribution["version_id"]:
        raise WorkflowError(_("Only the latest version can change."))
    db = get_db()
    with db.atomic():
        queries.set_status([contribution["id"]], "rejected", reason=reason, at=now())
        record_event("heating_contribution", contribution["id"], contribution["status"], "rejected", reason, db=db)
