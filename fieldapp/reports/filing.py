"""Filing a report from the phone: the form, its photos, the nearest building, the duplicate hint."""
from flask import current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from fieldapp import geo
from fieldapp.access import allow
from fieldapp.audit import record_event
from fieldapp.db import now
from fieldapp.photos import attachments, uploads
from fieldapp.photos import queries as photo_queries
from fieldapp.photos.forms import MAX_PHOTOS
from fieldapp.records.ingest import field_record, record_uuid
from fieldapp.registry import api as registry
from fieldapp.render import render
from fieldapp.reports import duplicates, queries
from fieldapp.reports.blueprint import FILERS, bp
from fieldapp.reports.forms import ReportForm


def building_choices(buildings):
    """The building picker: the user's presidio first; positions let the phone pick the nearest."""
    mine = getattr(current_user, "presidio_code", None)
    ordered = sorted(buildings, key=lambda b: (b["presidio_code"] != mine, b["address"]))
    return [SelectChoice("", _("Choose the building"))] + [
        SelectChoice(b["id"], f"{b['address']} ({b['code']})", {"data-lat": b["lat"], "data-lon": b["lon"]})
        for b in ordered]


def form_page(form, status=200):
    position = geo.point(form.lat.data, form.lon.data)
    hint = duplicates.hint(form.building.data, form.area.data, form.category.data, position)
    return render("reports/new.html", "reports/_duplicates.html", status, form=form, hint=hint,
                max_photos=MAX_PHOTOS)


@bp.route("/reports/new", methods=["GET", "POST"])
@allow(*FILERS)
def report_new():
    buildings = registry.all_buildings()
    form = ReportForm(request.args) if request.method == "GET" else ReportForm()
    form.building.choices = building_choices(buildings)
    if request.method == "GET":
        return form_page(form)
    uuid = record_uuid(form.uuid.data)
    announced, files = uploads.received(form)
    device = geo.point(form.lat.data, form.lon.data)
    fields = {
        "building_id": form.building.data, "area": form.area.data, "category": form.category.data,
        "severity": form.severity.data, "description": (form.description.data or "").strip(),
        "device": device, "accuracy": geo.accuracy(form.accuracy.data) if device else None,
        "photo_position": geo.point(form.photo_lat.data, form.photo_lon.data), "photo_uuids": announced,
    }
    client_created_at = uploads.device_time(form.client_created_at.data)
    checked = {}

    def refusal():
        if not form.validate():
            return form_page(form, 422)
        if len(files) > MAX_PHOTOS or len(announced) > MAX_PHOTOS:
            form.photos.errors.append(_("Send at most %(n)d photos with a report.", n=MAX_PHOTOS))
            return form_page(form, 422)
        checked["photos"], errors = uploads.process(files)
        if errors:
            form.photos.errors.extend(errors + [_("Nothing was saved. Choose the photos again.")])
            return form_page(form, 422)
        return None

    def store(batch, uuid, fingerprint):
        building = next(b for b in buildings if b["id"] == form.building.data)
        processed = checked["photos"]
        row = {
            "uuid": uuid, "building_id": building["id"], "area": fields["area"], "category": fields["category"],
            "severity": fields["severity"], "description": fields["description"], "status": "new",
            **geo.locate(building, device, fields["accuracy"],
                         [photo.gps for _uuid, photo in processed] + [fields["photo_position"]],
                         current_app.config["REPORT_FAR_METRES"]),
            "expected_photos": max(len(announced), len(files)), "created_at": now(),
            "client_created_at": client_created_at, "created_by": current_user.id, "version": 1,
            "content_hash": fingerprint,
        }
        queries.insert_report(row, db=batch.db)
        uploads.store(batch, uuid, processed, client_created_at)
        record_event("report", uuid, None, "new", db=batch.db)
        flash(_("Report sent: the operator will verify it. Thank you!"), "success")
        if row["far"]:
            flash(_("The position is far from the chosen building: the operator will check it."), "warning")

    return field_record("reports", uuid, fields, validate=refusal, store=store, transaction=attachments.photo_batch,
                        location=lambda uuid: url_for(".report_detail", uuid=uuid),
                        on_replay=lambda row: replay_photos(row["uuid"], files, client_created_at))


def replay_photos(uuid, files, client_created_at):
    """A report sent again: store nothing twice, but take the announced photos that had not arrived."""
    missing = [(u, f) for u, f in files if photo_queries.photo(u) is None]
    processed, errors = uploads.process(missing)
    if processed:
        with attachments.photo_batch() as batch:
            uploads.store(batch, uuid, processed, client_created_at)
    for error in errors:
        flash(error, "danger")
