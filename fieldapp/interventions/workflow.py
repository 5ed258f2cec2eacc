"""The intervention workflow: planning from verified reports, and each step with what it does to them.

planned -> notified -> in_progress -> done, or cancelled from any open status. Starting the work puts
the linked reports in progress, finishing it resolves them, cancelling it gives them back as verified.
Every move is guarded by the status it starts from, so two people (or a replayed phone) cannot both make it.
"""
from flask_babel import lazy_gettext as _l

from fieldapp.audit import record_event
from fieldapp.clock import local_today
from fieldapp.db import get_db, now
from fieldapp.geo import distance_m
from fieldapp.interventions import mail, queries
from fieldapp.interventions.vocab import EARLY_STEPS, NEARBY_METRES, REPORT_STATUS_FOR, TRANSITIONS
from fieldapp.reports import api as report_api
from fieldapp.reports.api import TransitionError, set_status

OUT_OF_ORDER = {
    "notified": _l("Only a planned intervention can be marked as notified to the tenants."),
    "in_progress": _l("The work can start only after the tenants have been notified."),
    "done": _l("Only an intervention in progress can be marked as done: start it first."),
    "cancelled": _l("This intervention is already closed: it cannot be cancelled."),
}


class StepRefused(ValueError):
    """A step the workflow refuses; .message says why, in words for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def allowed(status, to):
    return to in TRANSITIONS.get(status, ())


def distant_reports(building, reports, metres=NEARBY_METRES):
    """The reports whose building is more than `metres` from the intervention's building."""
    far = []
    for report in reports:
        if report["building_id"] == building["id"]:
            continue
        distance = distance_m(building["lat"], building["lon"], report["building_lat"], report["building_lon"])
        if distance > metres:
            far.append({**report, "distance_m": round(distance)})
    return far


def plan(content, reports, user_id, client_created_at=None, content_hash=None, db=None):
    """Store a planned intervention for `reports` (all verified) and move them to planned; returns its id."""
    db = db or get_db()
    at = now()
    row = {
        "uuid": content["uuid"], "kind": content["kind"], "contractor_id": content["contractor_id"],
        "building_id": content["building_id"], "scheduled_on": content["scheduled_on"],
        "time_from": content["time_from"], "time_to": content["time_to"],
        "estimated_cost_cents": content["estimated_cost_cents"], "notes": content["notes"],
        "tenant_instructions": content["tenant_instructions"], "tutor_id": content["tutor_id"],
        "status": "planned", "distant_confirmed": int(bool(content.get("distant_confirmed"))),
        "created_at": at, "client_created_at": client_created_at, "created_by": user_id,
        "version": 1, "content_hash": content_hash,
    }
    with db.atomic():
        # Read again inside the transaction: another operator may have planned them a moment ago.
        if any((report_api.report(r["uuid"], db=db) or {}).get("status") != "verified" for r in reports):
            raise StepRefused(_l("Some of the selected reports are no longer verified: "
                                 "someone planned or closed them meanwhile. Choose again."))
        intervention_id = queries.insert_intervention(row, [r["uuid"] for r in reports], db=db)
        record_event("intervention", intervention_id, None, "planned", None, user_id=user_id, db=db)
        for report in reports:
            set_status(report["uuid"], "planned", note=_note(intervention_id), db=db)
        mail.booking(db, intervention_id)  # the contractor hears of it only if all of this commits
    return intervention_id


def step(intervention, to, user_id, changes=None, note=None, db=None):
    """Move `intervention` to `to`, with `changes` to its columns, and its reports along; or StepRefused."""
    db = db or get_db()
    if not allowed(intervention["status"], to):
        raise StepRefused(OUT_OF_ORDER[to])
    at = now()
    changes = {**(changes or {}), {"notified": "notified_at", "in_progress": "started_at",
                                   "done": "done_at", "cancelled": "cancelled_at"}[to]: at}
    with db.atomic():
        if not queries.move(intervention["id"], intervention["status"], to, changes, at, db=db):
            raise StepRefused(_l("Someone else changed this intervention meanwhile: reload the page."))
        record_event("intervention", intervention["id"], intervention["status"], to, note, user_id=user_id, db=db)
        report_status = REPORT_STATUS_FOR.get(to)
        for uuid in queries.linked_report_uuids(intervention["id"], db=db) if report_status else ():
            try:
                set_status(uuid, report_status, note=_note(intervention["id"]), db=db)
            except TransitionError as error:  # raised inside the transaction: nothing is kept
                raise StepRefused(error.message) from error
        mail.changed(db, intervention, to)
    return queries.intervention(intervention["id"], db=db)


def _note(intervention_id):
    # Shown as it is in the report's history, to the Italian-speaking office: data, not interface.
    return f"Intervento n. {intervention_id}"


def early_refusal(intervention, to, form):
    """Starting or finishing before the scheduled day needs the user's confirmation (confirm_early)."""
    if to not in EARLY_STEPS or form.confirm_early.data or intervention["scheduled_on"] <= local_today().isoformat():
        return None
    return EARLY_STEPS[to]
