"""Community pacts: the community manager's record of each pact, its commitments, status and activities.

Readers: the coordinators (all pacts) and the tutors (the pacts of their presidio). Activities are
field records (offline through the outbox, with a photo of the place) and are judged by their own
date: one dated after its pact closed is refused, an earlier one replayed late is accepted.
"""
from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp import geo
from fieldapp.access import allow
from fieldapp.audit import history
from fieldapp.db import now
from fieldapp.pacts import queries, vocab
from fieldapp.pacts.blueprint import MANAGER, READERS, bp, pact_or_404, scope
from fieldapp.pacts.forms import ActivityForm, CommitmentForm, PactForm, StatusForm
from fieldapp.photos import attachments, uploads
from fieldapp.photos import queries as photo_queries
from fieldapp.photos.forms import MAX_PHOTOS
from fieldapp.records.ingest import field_record, record_uuid
from fieldapp.registry import api as registry
from fieldapp.render import render
from fieldapp.reports.api import AREAS


def place_of(form, buildings):
    """Where the common good is, and so which quartiere and presidio the pact belongs to."""
    if form.place_kind.data == "building":
        building = next((b for b in buildings if str(b["id"]) == form.building.data), None)
        if building is None:
            return None
        area = str(AREAS.get(form.common_area.data, form.common_area.data))
        return {"building_id": building["id"], "common_area": form.common_area.data,
                "place_name": form.place_name.data or f"{area}, {building['address']}",
                "lat": building["lat"], "lon": building["lon"], "quartiere_id": building["quartiere_id"],
                "presidio_code": building["presidio_code"]}
    near = geo.nearest_building(form.lat.data, form.lon.data, buildings)
    return {"building_id": None, "common_area": None, "place_name": form.place_name.data,
            "lat": form.lat.data, "lon": form.lon.data, "quartiere_id": near["quartiere_id"],
            "presidio_code": near["presidio_code"]}


@bp.get("/")
@allow(*READERS)
def pact_list():
    return render("pacts/pacts.html", pacts=queries.pacts(scope()), can_write=current_user.role == MANAGER)


@bp.route("/new", methods=["GET", "POST"])
@allow(MANAGER)
def pact_new():
    buildings = registry.all_buildings()
    form = PactForm()
    form.building.choices = [("", _("Choose the building"))] + [(str(b["id"]), b["address"]) for b in buildings]
    if not form.is_submitted():
        return render("pacts/pact_form.html", form=form)
    place = place_of(form, buildings) if form.validate() else None
    if place is None:
        return render("pacts/pact_form.html", form=form, status=422)
    pact_id = queries.create_pact({
        "kind": form.kind.data, "place_kind": form.place_kind.data, **place, "office": form.office.data,
        "signatories": form.signatories.data, "proposed_on": form.proposed_on.data.isoformat(),
        "ends_on": form.ends_on.data.isoformat() if form.ends_on.data else None}, current_user.id)
    flash(_("Pact recorded as a proposal."), "success")
    return redirect(url_for(".pact_detail", pact_id=pact_id), 303)


def detail_page(pact, status=200, commitment_form=None, status_form=None):
    activities = queries.activities(pact["id"])
    for a in activities:
        a["photos"] = queries.photo_uuids(a["photo_uuids"])
    return render("pacts/pact.html", status=status, pact=pact, commitments=queries.commitments(pact["id"]),
                  activities=activities, history=history("pact", pact["id"]),
                  commitment_form=commitment_form or CommitmentForm(), status_form=status_form or StatusForm(),
                  steps=vocab.STEPS.get(pact["status"], ()), can_write=current_user.role == MANAGER,
                  hours=sum(a["person_hours"] for a in activities))


@bp.get("/<int:pact_id>")
@allow(*READERS)
def pact_detail(pact_id):
    return detail_page(pact_or_404(pact_id))


@bp.post("/<int:pact_id>/status")
@allow(MANAGER)
def pact_status(pact_id):
    pact = pact_or_404(pact_id)
    form = StatusForm()
    target = form.to_status.data
    if target not in vocab.STEPS.get(pact["status"], ()):
        form.form_errors.append(_("A pact cannot go from “%(from)s” to “%(to)s”.",
                                  **{"from": vocab.STATUSES[pact["status"]], "to": vocab.STATUSES.get(target, target)}))
        return detail_page(pact, 409, status_form=form)
    if not form.validate():
        return detail_page(pact, 422, status_form=form)
    on = form.on.data.isoformat()
    if on < pact["proposed_on"]:
        form.on.errors.append(_("A step cannot come before the proposal."))
        return detail_page(pact, 422, status_form=form)
    changes, note = {}, form.note.data or None
    if target == "signed":
        changes["signed_on"] = on
    if target == "renewed":
        ends_on = form.ends_on.data.isoformat() if form.ends_on.data else None
        if ends_on is None or ends_on <= max(on, pact["ends_on"] or on):
            form.ends_on.errors.append(_("A renewal runs until a new date, after this step and after %(day)s.",
                                         day=pact["ends_on"] or on))
            return detail_page(pact, 422, status_form=form)
        changes["ends_on"] = ends_on
        note = " · ".join(filter(None, [_("runs until %(day)s (was %(before)s)", day=ends_on,
                                          before=pact["ends_on"] or "-"), note]))
    if target in vocab.ENDED:
        later = [a["held_on"] for a in queries.activities(pact_id) if a["held_on"] > on]
        if later:
            form.on.errors.append(_("Activities are recorded after this date (%(day)s): close the pact later.",
                                    day=max(later)))
            return detail_page(pact, 422, status_form=form)
        changes["closed_on"] = on
    if not queries.move(pact_id, pact["status"], target, changes, note, current_user.id):
        abort(409)
    flash(_("Pact: %(status)s.", status=vocab.STATUSES[target]), "success")
    return redirect(url_for(".pact_detail", pact_id=pact_id), 303)


@bp.post("/<int:pact_id>/commitments")
@allow(MANAGER)
def commitment_add(pact_id):
    pact = pact_or_404(pact_id)
    form = CommitmentForm()
    if pact["status"] in vocab.ENDED:
        form.form_errors.append(_("This pact has ended: its commitments stay as they were."))
        return detail_page(pact, 409, commitment_form=form)
    if not form.validate():
        return detail_page(pact, 422, commitment_form=form)
    queries.add_commitment(pact_id, {"side": form.side.data, "role": form.role.data, "action": form.action.data,
                                     "frequency": form.frequency.data})
    flash(_("Commitment added."), "success")
    return redirect(url_for(".pact_detail", pact_id=pact_id), 303)


def activity_page(pact, form, status=200):
    return render("pacts/activity_form.html", status=status, pact=pact, form=form, max_photos=MAX_PHOTOS)


@bp.route("/<int:pact_id>/activities/new", methods=["GET", "POST"])
@allow(MANAGER)
def activity_new(pact_id):
    """A field record: replay by uuid, validation (by the activity's own date), store once with its photos."""
    pact = pact_or_404(pact_id)
    form = ActivityForm()
    meetings = queries.recent_meetings()
    if form.meeting.data and all(m["uuid"] != form.meeting.data for m in meetings) \
            and queries.meeting_exists(form.meeting.data):
        meetings.append({"uuid": form.meeting.data, "held_on": "", "place": form.meeting.data[:8]})
    form.prepare(meetings)
    if not form.is_submitted():
        return activity_page(pact, form)
    uuid = record_uuid(form.uuid.data)
    announced, files = uploads.received(form)
    content = form.content(pact, announced)
    client_created_at = uploads.device_time(form.client_created_at.data)
    processed = []

    def refusal():
        """Judged by the activity's own date, never today's: a late replay of an earlier one passes."""
        form.uuid.data = uuid
        ok = form.validate()
        if ok and pact["closed_on"] and content["held_on"] > pact["closed_on"]:
            form.held_on.errors.append(_("The pact ended on %(day)s: an activity after that date is not part of it.",
                                         day=pact["closed_on"]))
            ok = False
        if ok and content["held_on"] < pact["proposed_on"]:
            form.held_on.errors.append(_("An activity cannot come before the pact was proposed."))
            ok = False
        if len(files) > MAX_PHOTOS or len(announced) > MAX_PHOTOS:
            form.photos.errors.append(_("Send at most %(n)d photos at a time.", n=MAX_PHOTOS))
            ok = False
        if not ok:
            return activity_page(pact, form, 422)
        done, errors = uploads.process(files)
        if errors:
            form.photos.errors.extend(errors + [_("Nothing was saved. Choose the photos again.")])
            return activity_page(pact, form, 422)
        processed.extend(done)
        return None

    def store(batch, uuid, fingerprint):
        queries.insert_activity({
            "uuid": uuid, "pact_id": pact["id"], "held_on": content["held_on"], "volunteers": content["volunteers"],
            "person_hours": float(form.person_hours.data), "meeting_uuid": content["meeting_uuid"],
            "note": content["note"], "expected_photos": max(len(announced), len(files)), "created_at": now(),
            "client_created_at": client_created_at, "created_by": current_user.id, "version": 1,
            "content_hash": fingerprint}, db=batch.db)
        store_photos(batch, uuid, processed, client_created_at)
        flash(_("Activity recorded."), "success")

    def replay_photos(_row):
        """Sent again: store nothing twice, but take the announced photos that had not arrived."""
        missing, _errors = uploads.process([(u, f) for u, f in files if photo_queries.photo(u) is None])
        if missing:
            with attachments.photo_batch() as batch:
                store_photos(batch, uuid, missing, client_created_at)

    return field_record("pact_activities", uuid, content, validate=refusal, store=store,
                        transaction=attachments.photo_batch, on_replay=replay_photos,
                        location=lambda _uuid: url_for(".pact_detail", pact_id=pact_id))


def store_photos(batch, activity_uuid, processed, client_created_at):
    for photo_uuid, photo in processed:
        batch.add(photo, owner="pact_activity", owner_id=activity_uuid, photo_uuid=photo_uuid,
                  user_id=current_user.id, client_created_at=client_created_at)


def building_panel(building):
    """The pacts caring for this building's common areas or a place near it (within 100 m)."""
    near = [p for p in queries.pacts(scope()) if p["building_id"] == building["id"] or (
        p["place_kind"] == "point"
        and geo.distance_m(p["lat"], p["lon"], building["lat"], building["lon"]) <= vocab.NEAR_METRES)]
    return {"pacts": near, "statuses": vocab.STATUSES} if near else None
