"""A report's page: its photos, more photos for it, and the operator's decisions."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from fieldapp.access import allow
from fieldapp.audit import history, record_event
from fieldapp.db import get_db, now
from fieldapp.fields import local_date
from fieldapp.photos import attachments, uploads
from fieldapp.photos import queries as photo_queries
from fieldapp.photos.forms import MAX_PHOTOS, PhotosForm
from fieldapp.render import render
from fieldapp.reports import duplicates, filters, queries, triage, workflow
from fieldapp.reports.blueprint import FILERS, bp, report_or_404
from fieldapp.reports.forms import ClassificationForm, StatusForm
from fieldapp.reports.vocab import AREAS, CATEGORIES, OPEN_STATUSES, SEVERITIES, STATUSES


@bp.post("/reports/<uuid>/photos")
@allow(*FILERS)
def add_photos(uuid):
    """More photos for an existing report: from its page, or from the duplicate hint of the form."""
    report = report_or_404(uuid)
    form = PhotosForm()
    if report["status"] not in OPEN_STATUSES:
        form.photos.errors = [_("This report is closed: file a new one if the problem is back.")]
        return detail_page(report, photos_form=form, status=409)
    _announced, files = uploads.received(form)
    if not files or len(files) > MAX_PHOTOS:
        form.photos.errors = [_("Choose from 1 to %(n)d photos.", n=MAX_PHOTOS)]
        return detail_page(report, photos_form=form, status=422)
    processed, errors = uploads.process(files)
    if errors:
        form.photos.errors = errors + [_("Nothing was saved. Choose the photos again.")]
        return detail_page(report, photos_form=form, status=422)
    fresh = [(u, p) for u, p in processed if photo_queries.photo(u) is None]
    client_created_at = uploads.device_time(form.client_created_at.data)
    with attachments.photo_batch() as batch:
        uploads.store(batch, uuid, processed, client_created_at)
        if fresh:
            queries.add_expected_photos(uuid, len(fresh), db=batch.db)
            note = ngettext("%(num)d photo added", "%(num)d photos added", len(fresh))
            description = (request.form.get("description") or "").strip()[:1000]
            record_event("report", uuid, report["status"], report["status"],
                         f"{note}: {description}" if description else note, db=batch.db)
    flash(ngettext("Photo added to the report.", "Photos added to the report.", len(processed)), "success")
    return redirect(url_for(".report_detail", uuid=uuid), 303)


def detail_page(report, status=200, status_form=None, classification_form=None, photos_form=None):
    targets = duplicates.originals(report) if report["status"] in ("new", "verified") else []
    status_form = status_form or StatusForm(formdata=None, version=report["version"])
    status_form.duplicate_of.choices = [SelectChoice("", _("Choose the report"))] + [
        SelectChoice(t["uuid"], f"#{t['uuid'][:8]} · {CATEGORIES[t['category']]} · {AREAS[t['area']]} · "
                                f"{t['address']} · {local_date(t['created_at'])}") for t in targets]
    classification_form = classification_form or ClassificationForm(
        formdata=None, category=report["category"], severity=report["severity"], version=report["version"])
    original = queries.report(report["duplicate_of"]) if report["duplicate_of"] else None
    if original is not None and not filters.can_see(original):
        original = None  # a linked report is shown only to whoever may see it itself
    can_decide = current_user.role in workflow.WORKFLOW_ROLES
    following = queries.next_new_report(report, filters.scope()) if can_decide and report["status"] == "new" else None
    return render(
        "reports/detail.html", status=status, report=report, following=following,
        photos=attachments.photos_for("report", report["uuid"]),
        pending=max(0, report["expected_photos"] - report["stored_photos"]),
        events=history("report", report["uuid"]), original=original,
        can_decide=can_decide, next_statuses=workflow.next_by_hand(report["status"]),
        status_form=status_form, classification_form=classification_form,
        photos_form=photos_form or PhotosForm(formdata=None), max_photos=MAX_PHOTOS,
    )


@bp.get("/reports/<uuid>")
@allow(*FILERS)
def report_detail(uuid):
    return detail_page(report_or_404(uuid))


# --- the operator's decisions -----------------------------------------------------------

@bp.post("/reports/<uuid>/status")
@allow(*workflow.WORKFLOW_ROLES)
def change_status(uuid):
    report = report_or_404(uuid)
    form = StatusForm()
    if not form.validate_on_submit():
        return detail_page(report, 422, status_form=form)
    try:
        workflow.transition(report, form.to.data, current_user, note=form.note.data,
                            duplicate_of=form.duplicate_of.data or None, version=form.version.data)
    except workflow.TransitionError as error:
        form.form_errors.append(error.message)
        return detail_page(report, 422, status_form=form)
    except workflow.StaleReport:
        flash(_("Someone else changed this report meanwhile: here it is as it is now."), "warning")
        return detail_page(report_or_404(uuid), 409)
    flash(_("Report moved to: %(status)s.", status=STATUSES[form.to.data]), "success")
    return triage.after_decision(report)


@bp.post("/reports/<uuid>/classification")
@allow(*workflow.WORKFLOW_ROLES)
def reclassify(uuid):
    report = report_or_404(uuid)
    form = ClassificationForm()
    if not form.validate_on_submit():
        return detail_page(report, 422, classification_form=form)
    changes = [f"{label}: {vocabulary[report[key]]} → {vocabulary[form[key].data]}"
               for key, label, vocabulary in (("category", _("Category"), CATEGORIES),
                                              ("severity", _("Severity"), SEVERITIES))
               if report[key] != form[key].data]
    if changes:
        db = get_db()
        with db.atomic():
            if not queries.update_classification(uuid, form.category.data, form.severity.data,
                                                 form.version.data, now(), db=db):
                flash(_("Someone else changed this report meanwhile: here it is as it is now."), "warning")
                return detail_page(report_or_404(uuid), 409)
            record_event("report", uuid, report["status"], report["status"], "; ".join(changes), db=db)
        flash(_("Report updated."), "success")
    return redirect(url_for(".report_detail", uuid=uuid), 303)


