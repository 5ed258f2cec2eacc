"""Residents' reports on /segnala, their follow-up pages, and the Open311 API keys (the API: georeport.py)."""
import hashlib
import secrets

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from fieldapp import clock
from fieldapp.access import allow, public
from fieldapp.audit import audit, history
from fieldapp.db import new_uuid
from fieldapp.limits import body_limit
from fieldapp.photos import uploads
from fieldapp.public import intake, queries, throttle
from fieldapp.public.blueprint import bp, too_many
from fieldapp.public.forms import ResidentReportForm
from fieldapp.registry import api as registry
from fieldapp.render import render
from fieldapp.security import csrf

# --- /segnala ---------------------------------------------------------------------------

FORM_ROOM = 256 * 1024  # bytes of a /segnala request besides its photo; an Open311 post takes no more

def form_page(form, status=200):
    return render("public/report_new.html", status=status, form=form)


@bp.route("/segnala", methods=["GET", "POST"])
@public
@body_limit(lambda config: config["PHOTO_MAX_BYTES"] + FORM_ROOM)  # one photo, not a staff phone's 80 MB
def report_new():
    buildings = registry.all_buildings()
    form = ResidentReportForm()
    form.building.choices = [SelectChoice("", _("Choose the building"))] + [
        SelectChoice(b["id"], b["address"], {"data-lat": b["lat"], "data-lon": b["lon"]})
        for b in sorted(buildings, key=lambda b: b["address"])]
    if request.method == "GET":
        return form_page(form)
    if throttle.over_limit("post"):
        return too_many()
    if form.website.data:
        form.form_errors.append(_("This form was filled in by a program: nothing was saved. If you are a "
                                  "person, reload the page and send it again."))
        return form_page(form, 422)
    if not form.validate():
        return form_page(form, 422)
    photo = None
    upload = form.photo.data
    if upload and getattr(upload, "filename", None):
        processed, problems = uploads.process([(new_uuid(), upload)])
        if problems:
            form.photo.errors = problems + [_("Nothing was saved. Choose the photo again, or send the report "
                                              "without it.")]
            return form_page(form, 422)
        photo = processed[0][1]
    building = next(b for b in buildings if b["id"] == form.building.data)
    row = intake.store(building=building, area=form.area.data, category=form.category.data,
                       description=(form.description.data or "").strip(), source="resident",
                       email=form.email.data, phone=form.phone.data, updates=True, photo=photo)
    flash(_("Report sent, thank you! Keep the link of this page to follow it."), "success")
    return redirect(url_for(".report_status", token=row["public_token"]), 303)


@bp.get("/segnala/<token>")
@public
def report_status(token):
    if throttle.over_limit("read"):
        return too_many()
    report = queries.report_by_token(token) if 16 <= len(token) <= 64 else None
    if report is None:
        abort(404)
    # Dates and statuses only: the notes of the history are staff's.
    steps = [{"at": e["at"], "status": e["to_status"]} for e in history("report", report["uuid"])
             if e["to_status"] and (not e["from_status"] or e["from_status"] != e["to_status"])]
    return render("public/report_status.html", report=report, steps=steps,
                  link=url_for(".report_status", token=token, _external=True))


@bp.route("/segnala/<token>/stop", methods=["GET", "POST"])
@public
@csrf.exempt  # the token is the secret: mail programs post here on their own (RFC 8058 one-click)
@body_limit(4096)
def report_stop(token):
    """Stop the e-mails about one report: a page with a button, or a mail program's one-click post."""
    if throttle.over_limit("read"):  # a stop is no report: it does not count towards the daily cap
        return too_many()
    report = queries.report_by_token(token) if 16 <= len(token) <= 64 else None
    if report is None:
        abort(404)
    stopped = request.method == "POST"
    if stopped:
        queries.stop_updates(token)
    return render("public/report_stop.html", report=report, token=token, stopped=stopped)


# --- API keys -------------------------------------------------------------------------------

def issue_key(name, created_by=None):
    """A new Open311 key for a partner app: (id, key). Only the key's sha256 is stored."""
    key = "c311_" + secrets.token_urlsafe(32)
    key_id = queries.insert_api_key({
        "name": name, "prefix": key[:10], "key_sha256": hashlib.sha256(key.encode()).hexdigest(),
        "created_at": clock.now(), "created_by": created_by})
    return key_id, key


def key_in_force(key):
    row = queries.api_key_by_hash(hashlib.sha256(key.encode()).hexdigest()) if key else None
    return row if row is not None and row["revoked_at"] is None else None


@bp.route("/admin/api-keys", methods=["GET", "POST"])
@allow("admin")
def api_keys():
    issued, status = None, 200
    if request.method == "POST":
        name = (request.form.get("name") or "").strip()
        if not name or len(name) > 100:
            flash(_("Write the name of the partner app (at most 100 characters)."), "danger")
            status = 422
        else:
            key_id, key = issue_key(name, current_user.id)
            audit("api_key_issued", str(key_id), {"name": name})
            issued = {"name": name, "key": key}
    return render("public/api_keys.html", status=status, keys=queries.api_keys(), issued=issued)


@bp.post("/admin/api-keys/<int:key_id>/revoke")
@allow("admin")
def api_key_revoke(key_id):
    key = queries.api_key(key_id)
    if key is None:
        abort(404)
    if queries.revoke_api_key(key_id, clock.now()):
        audit("api_key_revoked", str(key_id), {"name": key["name"]})
        flash(_("Key “%(name)s” revoked: the partner app can no longer send reports with it.", name=key["name"]),
              "success")
    return redirect(url_for(".api_keys"), 303)
