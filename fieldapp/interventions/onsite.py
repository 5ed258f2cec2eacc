"""On site, from a phone: before and after photos, and marking the work done with its evidence.

Both forms are field forms for the offline outbox. Sent by the outbox, the form comes first with the
uuids of its photos (`photo_uuid`), and each photo follows to /sync/photos owned by the form's uuid;
sent without JavaScript, the photos come in the same request.
"""
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import Conflict

from fieldapp.access import allow
from fieldapp.interventions import planning, queries, workflow
from fieldapp.interventions.blueprint import PLANNER, bp, intervention_or_404
from fieldapp.interventions.forms import DoneForm, PhotosForm
from fieldapp.interventions.vocab import PHOTO_ROLES
from fieldapp.photos import attachments
from fieldapp.photos import queries as photo_queries
from fieldapp.photos import uploads as report_uploads
from fieldapp.photos.forms import MAX_PHOTOS
from fieldapp.records.ingest import Refused, field_record
from fieldapp.render import render


def site_page(template, intervention, form, status=200):
    return render(template, status=status, intervention=intervention, form=form, max_photos=MAX_PHOTOS,
                  after_photos=queries.count_photos(intervention["id"], "after"))


def read_photos(form, intervention, template):
    """(announced, processed) photos of a site form, or a 422 page to return."""
    announced, uploads = report_uploads.received(form)
    if len(uploads) > MAX_PHOTOS or len(announced) > MAX_PHOTOS:
        form.photos.errors.append(_("Send at most %(n)d photos at a time.", n=MAX_PHOTOS))
        return None, None, site_page(template, intervention, form, 422)
    processed, errors = report_uploads.process(uploads)
    if errors:
        form.photos.errors.extend(errors + [_("Nothing was saved. Choose the photos again.")])
        return None, None, site_page(template, intervention, form, 422)
    return announced, processed, None


def store_photos(batch, intervention, processed, role, client_created_at):
    for photo_uuid, photo in processed:
        batch.add(photo, owner="intervention", owner_id=str(intervention["id"]), photo_uuid=photo_uuid,
                  role=role, user_id=current_user.id, client_created_at=client_created_at)


def take_missing(intervention, files, role, client_created_at):
    """A form sent again: store nothing twice, but take its photos that had not arrived the first time."""
    processed, errors = report_uploads.process([(u, f) for u, f in files if photo_queries.photo(u) is None])
    if processed:
        try:
            with attachments.photo_batch() as batch:
                store_photos(batch, intervention, processed, role, client_created_at)
        except Conflict:
            abort(409)
    for error in errors:
        flash(error, "danger")


@bp.route("/interventions/<int:intervention_id>/photos", methods=["GET", "POST"])
@allow(PLANNER)
def photos(intervention_id):
    intervention = intervention_or_404(intervention_id)
    form = PhotosForm()
    template = "interventions/photos.html"
    if request.method == "GET":
        form.role.data = "after" if intervention["status"] == "in_progress" else "before"
        return site_page(template, intervention, form)
    announced, files = report_uploads.received(form)
    fields = {"intervention_id": intervention["id"], "action": "photos", "role": form.role.data,
              "photo_uuids": announced}
    client_created_at = report_uploads.device_time(form.client_created_at.data)
    checked = {}

    def refusal():
        if not form.validate():
            return site_page(template, intervention, form, 422)
        if intervention["status"] == "cancelled":
            form.form_errors.append(_("This intervention is cancelled: it takes no more photos."))
            return site_page(template, intervention, form, 409)
        _announced, checked["photos"], refused = read_photos(form, intervention, template)
        if refused:
            return refused
        if not checked["photos"] and not announced:
            form.photos.errors.append(_("Choose at least one photo."))
            return site_page(template, intervention, form, 422)
        return None

    def store(batch, uuid, _fingerprint):
        planning.record_update(uuid, intervention["id"], "photos", fields, client_created_at,
                               photo_uuids=announced, db=batch.db)
        try:
            store_photos(batch, intervention, checked["photos"], form.role.data, client_created_at)
        except Conflict as conflict:
            raise Refused(lambda: abort(409)) from conflict
        flash(_("Photos added: %(role)s.", role=PHOTO_ROLES[form.role.data]), "success")

    return field_record("intervention_updates", form.uuid.data, fields, validate=refusal, store=store,
                        transaction=attachments.photo_batch, location=lambda _uuid: detail_url(intervention),
                        on_replay=lambda _row: take_missing(intervention, files, form.role.data, client_created_at))


def detail_url(intervention):
    return url_for(".intervention_detail", intervention_id=intervention["id"])


@bp.route("/interventions/<int:intervention_id>/done", methods=["GET", "POST"])
@allow(PLANNER)
def done(intervention_id):
    intervention = intervention_or_404(intervention_id)
    form = DoneForm()
    template = "interventions/done.html"
    if request.method == "GET":
        return site_page(template, intervention, form)
    announced, files = report_uploads.received(form)
    cost = getattr(form.actual_cost, "cents", None)
    fields = {"intervention_id": intervention["id"], "action": "done", "actual_cost_cents": cost,
              "note": form.note.data or None, "photo_uuids": announced}
    client_created_at = report_uploads.device_time(form.client_created_at.data)
    checked = {}

    def refusal():
        if not form.validate():
            return site_page(template, intervention, form, 422)
        if not workflow.allowed(intervention["status"], "done"):
            form.form_errors.append(workflow.OUT_OF_ORDER["done"])
            return site_page(template, intervention, form, 409)
        early = workflow.early_refusal(intervention, "done", form)
        if early:
            form.form_errors.append(early)
            return site_page(template, intervention, form, 422)
        _announced, checked["photos"], refused = read_photos(form, intervention, template)
        if refused:
            return refused
        # Photos announced by the phone follow the form through the outbox: they count as evidence.
        if not (checked["photos"] or announced or queries.count_photos(intervention["id"], "after")):
            form.photos.errors.append(_("Add at least one photo taken after the work: it is the evidence "
                                        "that the work was done."))
            return site_page(template, intervention, form, 422)
        return None

    def store(batch, uuid, _fingerprint):
        planning.record_update(uuid, intervention["id"], "done", fields, client_created_at,
                               photo_uuids=announced, db=batch.db)
        try:
            store_photos(batch, intervention, checked["photos"], "after", client_created_at)
            workflow.step(intervention, "done", current_user.id, changes={"actual_cost_cents": cost},
                          note=form.note.data or None, db=batch.db)
        except workflow.StepRefused as refused:
            form.form_errors.append(refused.message)
            raise Refused(lambda: site_page(template, intervention, form, 409)) from refused
        except Conflict as conflict:
            raise Refused(lambda: abort(409)) from conflict
        flash(_("Intervention done: its reports are resolved."), "success")

    return field_record("intervention_updates", form.uuid.data, fields, validate=refusal, store=store,
                        transaction=attachments.photo_batch, location=lambda _uuid: detail_url(intervention),
                        on_replay=lambda _row: take_missing(intervention, files, "after", client_created_at))
