"""Interventions: planning from verified reports, the steps on site, the notice, and the planning views."""
from datetime import timedelta

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp.access import allow
from fieldapp.audit import history
from fieldapp.fields import iso_day, whole_number
from fieldapp.interventions import planning, queries, workflow
from fieldapp.interventions.blueprint import OFFICE, PLANNER, READERS, bp, intervention_or_404, scope
from fieldapp.interventions.forms import CancelForm, InterventionForm, StepForm, local_today
from fieldapp.interventions.vocab import KINDS, OPEN_STATUSES, PHOTO_ROLES, STATUSES
from fieldapp.paging import paginate
from fieldapp.photos.uploads import device_time
from fieldapp.records.ingest import Refused, field_record, record_uuid
from fieldapp.registry import api as registry
from fieldapp.render import render

# --- lists -----------------------------------------------------------------------------

def _day(value):
    day = iso_day(value)
    return day.isoformat() if day else None


def list_filters(args):
    status = args.get("status", "open")
    contractor = args.get("contractor", "")
    return {
        "statuses": list(OPEN_STATUSES) if status == "open" else ([status] if status in STATUSES else []),
        "contractor_id": whole_number(contractor),
        "kind": args.get("kind") if args.get("kind") in KINDS else None,
        "overdue_before": local_today().isoformat() if args.get("overdue") == "1" else None,
        # Drill-down from the governance dashboard: scheduled days (inclusive) and quartiere.
        "since": _day(args.get("from")),
        "until": _day(args.get("to")),
        "quartiere_id": whole_number(args.get("quartiere", "")),
    }


@bp.get("/interventions/")
@allow(*READERS)
def intervention_list():
    page = paginate(queries.search_interventions, filters=list_filters(request.args), scope=scope())
    return render("interventions/list.html", "interventions/_rows.html", page=page,
                  values=request.args, contractors=queries.contractors(),
                  overdue_count=len(queries.overdue(local_today().isoformat(), scope())))


@bp.get("/interventions/week")
@allow(*OFFICE)
def week():
    first = planning.week_start(request.args.get("start"))
    days = [first + timedelta(days=n) for n in range(7)]
    rows = queries.scheduled_between(days[0].isoformat(), days[-1].isoformat())
    by_day = {d.isoformat(): [r for r in rows if r["scheduled_on"] == d.isoformat()] for d in days}
    return render("interventions/week.html", days=days, by_day=by_day,
                  previous=(first - timedelta(days=7)).isoformat(), next=(first + timedelta(days=7)).isoformat(),
                  this_week=planning.week_start(None).isoformat(),
                  overdue=queries.overdue(local_today().isoformat()))


# --- planning --------------------------------------------------------------------------

@bp.route("/interventions/new", methods=["GET", "POST"])
@allow(PLANNER)
def intervention_new():
    form = InterventionForm()
    picker = planning.ReportPicker(request.args)
    planning.prepare_form(form, picker)
    if request.method == "GET":
        form.reports.data = picker.preselected()
        planning.suggest_defaults(form, picker)
        return new_page(form, picker)
    uuid = record_uuid(form.uuid.data)
    content = form.content()
    # The replay is checked before the form: a booking sent again after its day is no longer valid
    # as a new one, and by now its reports are planned.
    checked = {}

    def refusal():
        if not form.validate():
            return new_page(form, picker, 422)
        checked["reports"] = planning.chosen_reports(form, picker)
        checked["building"], checked["distant"] = planning.check(form, checked["reports"])
        if form.errors or form.form_errors:
            return new_page(form, picker, 422, distant=checked["distant"])
        return None

    def store(db, uuid, fingerprint):
        try:
            workflow.plan(
                {**content, "uuid": uuid, "building_id": checked["building"]["id"],
                 "distant_confirmed": bool(checked["distant"])},
                checked["reports"], current_user.id, client_created_at=device_time(form.client_created_at.data),
                content_hash=fingerprint, db=db)
        except workflow.StepRefused as refused:
            form.form_errors.append(refused.message)
            raise Refused(lambda: new_page(form, picker, 409)) from refused
        flash(_("Intervention planned: the linked reports are now planned too. Next, notify the tenants."),
              "success")

    return field_record("interventions", uuid, content, validate=refusal, store=store, location=stored_url)


def stored_url(uuid):
    return url_for(".intervention_detail", intervention_id=queries.intervention_by_uuid(uuid)["id"])


def new_page(form, picker, status=200, distant=()):
    return render("interventions/new.html", status=status, form=form, groups=picker.groups(form.reports.data),
                  picker=picker, distant=distant, nearby_metres=workflow.NEARBY_METRES,
                  picker_quartieri=registry.quartieri())


# --- one intervention ------------------------------------------------------------------

def detail_page(intervention, status=200, cancel_form=None, message=None, confirm_early=None):
    photos = queries.photos_of(intervention["id"])
    return render(
        "interventions/detail.html", status=status, intervention=intervention,
        reports=queries.linked_reports(intervention["id"]), events=history("intervention", intervention["id"]),
        photos={role: [p for p in photos if p["role"] == role] for role in PHOTO_ROLES},
        pending_photos=queries.pending_photos(intervention["id"]),
        cancel_form=cancel_form or CancelForm(formdata=None),
        can_plan=current_user.role == PLANNER, can_see_photos=current_user.role in OFFICE,
        overdue=planning.is_overdue(intervention), message=message, confirm_early=confirm_early,
        early=intervention["scheduled_on"] > local_today().isoformat(),
    )


@bp.get("/interventions/<int:intervention_id>")
@allow(*READERS)
def intervention_detail(intervention_id):
    return detail_page(intervention_or_404(intervention_id))


def step_view(intervention_id, to, confirmation, form_class=StepForm):
    """The shape of notify / start / cancel: one field record (fieldapp.records.ingest), 303 to the intervention."""
    intervention = intervention_or_404(intervention_id)
    form = form_class()
    note = getattr(form, "reason", None) and form.reason.data
    fields = {"intervention_id": intervention["id"], "action": to, "note": note or None}
    detail = url_for(".intervention_detail", intervention_id=intervention["id"])

    def refusal():
        if not form.validate():
            return detail_page(intervention, 422, cancel_form=form if to == "cancelled" else None)
        early = workflow.allowed(intervention["status"], to) and workflow.early_refusal(intervention, to, form)
        if early:
            return detail_page(intervention, 422, message=early, confirm_early=to)
        return None

    def store(db, uuid, _fingerprint):
        planning.record_update(uuid, intervention["id"], to, fields, form.client_created_at.data, db=db)
        try:
            workflow.step(intervention, to, current_user.id, note=note,
                          changes={"cancel_reason": note} if to == "cancelled" else None, db=db)
        except workflow.StepRefused as refused:
            message = refused.message
            raise Refused(lambda: detail_page(intervention_or_404(intervention_id), 409, message=message)) from refused
        flash(confirmation, "success")

    return field_record("intervention_updates", form.uuid.data, fields, validate=refusal, store=store,
                        location=lambda _uuid: detail)


@bp.post("/interventions/<int:intervention_id>/notify")
@allow(PLANNER)
def notify(intervention_id):
    return step_view(intervention_id, "notified",
                     _("Marked as notified: the notice is posted at the building entrance."))


@bp.post("/interventions/<int:intervention_id>/start")
@allow(PLANNER)
def start(intervention_id):
    return step_view(intervention_id, "in_progress", _("Work started: the linked reports are now in progress."))


@bp.post("/interventions/<int:intervention_id>/cancel")
@allow(PLANNER)
def cancel(intervention_id):
    return step_view(intervention_id, "cancelled", _("Intervention cancelled: the linked reports are verified "
                                                     "again, ready for another intervention."), CancelForm)


# --- the building page -----------------------------------------------------------------

def building_panel(building):
    """The building's interventions, for the office and for the tutors of its presidio."""
    if current_user.role == "tutor" and building["presidio_code"] != current_user.presidio_code:
        return None
    return {"interventions": queries.for_building(building["id"]), "statuses": STATUSES, "kinds": KINDS,
            "today": local_today().isoformat(), "can_plan": current_user.role == PLANNER, "building": building}
