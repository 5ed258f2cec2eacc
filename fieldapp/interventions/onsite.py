"""On site, from a phone: before and after photos, and marking the work done with its evidence.

Both forms are field forms for the offline outbox. Sent by the outbox, the form comes first with the
uuids of its photos (`photo_uuid`), and each photo follows to /sync/photos owned by the form's uuid;
sent without JavaScript, the photos come in the same request.
"""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import Conflict

from fieldapp.access import allow
from fieldapp.db import is_uuid, new_uuid
from fieldapp.interventions import planning, queries, workflow
from fieldapp.interventions.forms import DoneForm, PhotosForm
from fieldapp.interventions.routes import PLANNER, bp, intervention_or_404
from fieldapp.interventions.vocab import PHOTO_ROLES
from fieldapp.render import render
from fieldapp.reports import attachments
from fieldapp.reports import queries as report_queries
from fieldapp.reports.forms import MAX_PHOTOS
from fieldapp.reports import uploads as report_uploads
from sync.idempotency import replayed


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


@bp.route("/interventions/<int:intervention_id>/photos", methods=["GET", "POST"])
@allow(PLANNER)
def photos(intervention_id):
    intervention = intervention_or_404(intervention_id)
    form = PhotosForm()
    if request.method == "GET":
        form.role.data = "after" if intervention["status"] == "in_progress" else "before"
        return site_page("interventions/photos.html", intervention, form)
    if not form.validate_on_submit():
        return site_page("interventions/photos.html", intervention, form, 422)
    if intervention["status"] == "cancelled":
        form.form_errors.append(_("This intervention is cancelled: it takes no more photos."))
        return site_page("interventions/photos.html", intervention, form, 409)
    announced, processed, refusal = read_photos(form, intervention, "interventions/photos.html")
    if refusal:
        return refusal
    if not processed and not announced:
        form.photos.errors.append(_("Choose at least one photo."))
        return site_page("interventions/photos.html", intervention, form, 422)
    uuid = form.uuid.data or new_uuid()
    if not is_uuid(uuid):
        abort(400)
    fields = {"intervention_id": intervention["id"], "action": "photos", "role": form.role.data,
              "photo_uuids": announced}
    client_created_at = report_uploads.device_time(form.client_created_at.data)
    fresh = [(u, p) for u, p in processed if report_queries.photo(u) is None]
    try:
        with attachments.photo_batch() as batch:
            if not replayed("intervention_updates", uuid, fields):
                planning.record_update(uuid, intervention["id"], "photos", fields, client_created_at,
                                       photo_uuids=announced, db=batch.db)
            store_photos(batch, intervention, fresh, form.role.data, client_created_at)
    except Conflict:
        abort(409)
    flash(_("Photos added: %(role)s.", role=PHOTO_ROLES[form.role.data]), "success")
    return redirect(url_for(".intervention_detail", intervention_id=intervention["id"]), 303)


@bp.route("/interventions/<int:intervention_id>/done", methods=["GET", "POST"])
@allow(PLANNER)
def done(intervention_id):
    intervention = intervention_or_404(intervention_id)
    form = DoneForm()
    if request.method == "GET":
        return site_page("interventions/done.html", intervention, form)
    if not form.validate_on_submit():
        return site_page("interventions/done.html", intervention, form, 422)
    uuid = form.uuid.data or new_uuid()
    if not is_uuid(uuid):
        abort(400)
    announced, processed, refusal = read_photos(form, intervention, "interventions/done.html")
    if refusal:
        return refusal
    fields = {"intervention_id": intervention["id"], "action": "done", "actual_cost_cents": form.actual_cost.cents,
              "note": form.note.data or None, "photo_uuids": announced}
    client_created_at = report_uploads.device_time(form.client_created_at.data)
    if replayed("intervention_updates", uuid, fields):
        fresh = [(u, p) for u, p in processed if report_queries.photo(u) is None]
        if fresh:
            with attachments.photo_batch() as batch:
                store_photos(batch, intervention, fresh, "after", client_created_at)
        return redirect(url_for(".intervention_detail", intervention_id=intervention["id"]), 303)
    if not workflow.allowed(intervention["status"], "done"):
        form.form_errors.append(workflow.OUT_OF_ORDER["done"])
        return site_page("interventions/done.html", intervention, form, 409)
    # Photos announced by the phone follow the form through the outbox: they count as evidence.
    if not (processed or announced or queries.count_photos(intervention["id"], "after")):
        form.photos.errors.append(_("Add at least one photo taken after the work: it is the evidence "
                                    "that the work was done."))
        return site_page("interventions/done.html", intervention, form, 422)
    try:
        with attachments.photo_batch() as batch:
            planning.record_update(uuid, intervention["id"], "done", fields, client_created_at,
                                   photo_uuids=announced, db=batch.db)
            store_photos(batch, intervention, processed, "after", client_created_at)
            workflow.step(intervention, "done", current_user.id,
                          changes={"actual_cost_cents": form.actual_cost.cents}, note=form.note.data or None,
                          db=batch.db)
    except workflow.StepRefused as refused:
        form.form_errors.append(refused.message)
        return site_page("interventions/done.html", intervention, form, 409)
    flash(_("Intervention done: its reports are resolved."), "success")
    return redirect(url_for(".intervention_detail", intervention_id=intervention["id"]), 303)
