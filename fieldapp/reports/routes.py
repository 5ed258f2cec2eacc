"""Reports: the phone form, lists, the report page, the operator's decisions, photos and GeoJSON."""
import gzip
import hashlib

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from fieldapp import panels, photostore
from fieldapp.access import allow
from fieldapp.core.queries import history, record_event
from fieldapp.db import get_db, is_uuid, now
from fieldapp.fields import local_date
from fieldapp.paging import paginate
from fieldapp.registry import queries as registry
from fieldapp.render import render
from fieldapp.reports import attachments, duplicates, filters, geo, queries, triage, uploads, workflow
from fieldapp.reports.forms import MAX_PHOTOS, ClassificationForm, PhotosForm, ReportForm, StatusForm
from fieldapp.reports.vocab import AREAS, CATEGORIES, LOCATION_SOURCES, OPEN_STATUSES, SEVERITIES, SOURCES, STATUSES
from sync.ingest import field_record, record_uuid

bp = Blueprint("reports", __name__)

FILERS = ("tutor", "operator", "community", "coordinator")


@bp.context_processor
def vocabularies():
    return {"areas": AREAS, "categories": CATEGORIES, "severities": SEVERITIES, "statuses": STATUSES,
            "location_sources": LOCATION_SOURCES, "sources": SOURCES}


def report_or_404(uuid):
    """The report, if it exists and the signed-in user may see it; 404 otherwise."""
    report = queries.report(uuid) if is_uuid(uuid) else None
    if report is None or not filters.can_see(report):
        abort(404)
    return report


attachments.register_owner("report", report_or_404, "uuid")


# --- filing a report -------------------------------------------------------------------

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
    missing = [(u, f) for u, f in files if queries.photo(u) is None]
    processed, errors = uploads.process(missing)
    if processed:
        with attachments.photo_batch() as batch:
            uploads.store(batch, uuid, processed, client_created_at)
    for error in errors:
        flash(error, "danger")


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
    fresh = [(u, p) for u, p in processed if queries.photo(u) is None]
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


# --- reading reports --------------------------------------------------------------------

def list_page(chosen, scope, mine, status=200, values=None, **context):
    """A list of reports with its counts per status; filtered to new ones, in triage order."""
    in_triage = triage.is_triage(chosen)
    rows = paginate(queries.search_reports, filters=chosen, scope=scope, triage=in_triage)
    counts = queries.count_by_status({**chosen, "statuses": []}, scope)
    return render("reports/list.html", "reports/_rows.html", status, page=rows, mine=mine, counts=counts,
                  triage=in_triage, can_verify=in_triage and not mine and current_user.role in workflow.WORKFLOW_ROLES,
                  values=values or filters.form_values(request.args), quartieri=[] if mine else registry.quartieri(),
                  presidi=[] if mine else registry.presidi(), **context)


@bp.get("/reports/")
@allow(*FILERS)
def report_list():
    return list_page(filters.from_args(request.args), filters.scope(), mine=False)


@bp.get("/reports/mine")
@allow(*FILERS)
def my_reports():
    return list_page({**filters.from_args(request.args), "created_by": current_user.id}, None, mine=True)


@bp.post("/reports/verify")
@allow(*workflow.WORKFLOW_ROLES)
def verify_many():
    """Verify the reports ticked in the triage list; each one that cannot be is named, and left as it was."""
    values = request.form.getlist("report")
    verified, refused = triage.verify_many(values, current_user) if values else ([], [])
    problems = [f"{who}: {why}" for who, why in refused]
    if not verified:
        message = _("Tick at least one report to verify.") if not values else _("No report was verified.")
        return list_page({"statuses": ["new"]}, filters.scope(), mine=False, status=422,
                         values={**filters.form_values(request.args), "statuses": ["new"]},
                         bulk_errors=[message, *problems])
    flash(ngettext("%(num)d report verified.", "%(num)d reports verified.", len(verified)), "success")
    if problems:
        flash(_("Not verified, left as they were: %(list)s", list="; ".join(problems)), "warning")
    return redirect(url_for(".report_list", status="new"), 303)


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


# --- photos and the map layer -----------------------------------------------------------

def photo_or_404(uuid):
    """A photo the user may see: a report's with the report; an intervention's for the planners."""
    photo = queries.photo(uuid) if is_uuid(uuid) else None
    if photo is None:
        abort(404)
    if photo["owner"] == "report":
        report_or_404(photo["owner_id"])
    elif current_user.role not in workflow.WORKFLOW_ROLES:
        abort(404)
    return photo


def send_photo(uuid, thumbnail):
    photo = photo_or_404(uuid)
    etag = photo["sha256"] + ("t" if thumbnail else "")
    # A photo never changes under its uuid: a phone that has it needs no trip to the store.
    if etag in request.if_none_match:
        response = current_app.response_class(status=304)
        response.set_etag(etag)
    else:
        stream = photostore.photo_store().open(photo["sha256"], thumbnail=thumbnail)
        if stream is None:
            abort(404)
        response = photostore.photo_response(stream, etag=etag)
    # The phone may keep it, but no shared cache may.
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@bp.get("/photos/<uuid>")
@allow(*FILERS)
def photo(uuid):
    return send_photo(uuid, thumbnail=False)


@bp.get("/photos/<uuid>/thumb")
@allow(*FILERS)
def photo_thumb(uuid):
    return send_photo(uuid, thumbnail=True)


@bp.get("/reports.geojson")
@allow(*FILERS)
def geojson():
    """The reports layer of the map: lean features, gzipped; unchanged data answers 304 at once."""
    viewer = filters.scope()
    tag = hashlib.sha1(f"{queries.layer_version()}|{request.query_string!r}|{viewer}".encode()).hexdigest()
    if request.if_none_match.contains_weak(tag):
        response = current_app.response_class(status=304)
    else:
        body = queries.map_layer(filters.from_args(request.args), viewer).encode()
        response = current_app.response_class(body, mimetype="application/geo+json")
        if len(body) > 1024 and "gzip" in request.headers.get("Accept-Encoding", ""):
            response.set_data(gzip.compress(body, compresslevel=4))
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(tag, weak=True)  # weak: one tag for the raw and the gzipped body
    response.vary.add("Accept-Encoding")
    return response


# --- the building page ------------------------------------------------------------------

def building_panel(building):
    """The building's open reports, and a button to file one there."""
    return {"building": building, "statuses": STATUSES, "categories": CATEGORIES, "areas": AREAS,
            "reports": queries.open_reports_for_building(building["id"], OPEN_STATUSES, filters.scope())}


panels.register("building", "reports/_building_panel.html", building_panel, roles=FILERS)
