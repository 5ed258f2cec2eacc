"""Residents' reports on /segnala, their follow-up pages, the Open311 GeoReport v2 API and its keys."""
import hashlib
import secrets

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from fieldapp import clock, geo
from fieldapp.access import allow, public
from fieldapp.audit import audit, history
from fieldapp.db import new_uuid
from fieldapp.limits import body_limit
from fieldapp.messages import addresses
from fieldapp.photos import uploads
from fieldapp.public import intake, open311, queries, throttle
from fieldapp.public.blueprint import bp, too_many
from fieldapp.public.forms import ResidentReportForm
from fieldapp.registry import api as registry
from fieldapp.render import render
from fieldapp.reports.api import AREAS, CATEGORIES
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


# --- Open311 GeoReport v2 -------------------------------------------------------------------

OPEN311 = "/open311/v2"
FORMAT = "<any(json, xml):fmt>"


def open311_error(code, message):
    return open311.error(code, message, "xml" if request.path.endswith(".xml") else "json")



@bp.get(f"{OPEN311}/services.{FORMAT}")
@public
def services(fmt):
    if throttle.over_limit("read"):
        return open311.error(429, "Too many requests from this address: wait a minute.", fmt)
    return open311.respond(open311.services(), fmt, "services", "service")


def comma_list(name):
    return [v.strip() for v in (request.args.get(name) or "").split(",") if v.strip()]


@bp.get(f"{OPEN311}/requests.{FORMAT}")
@public
def requests_list(fmt):
    if throttle.over_limit("read"):
        return open311.error(429, "Too many requests from this address: wait a minute.", fmt)
    ids = comma_list("service_request_id")
    if ids:
        rows = queries.public_reports(ids=ids[:open311.MAX_RESULTS])
        return open311.respond([open311.service_request(r) for r in rows], fmt, "service_requests", "request")
    codes = comma_list("service_code")
    if any(code not in CATEGORIES for code in codes):
        return open311.error(400, "Unknown service_code: see services.json.", fmt)
    wanted = comma_list("status")
    if any(s not in ("open", "closed") for s in wanted):
        return open311.error(400, "status must be open, closed, or both (comma separated).", fmt)
    dates = {}
    for name in ("start_date", "end_date"):
        if request.args.get(name):
            dates[name] = open311.w3_datetime(request.args[name])
            if dates[name] is None:
                return open311.error(400, f"{name} must be a W3C datetime with a zone, "
                                          "for example 2026-11-01T00:00:00Z.", fmt)
    until = dates.get("end_date")
    since = dates.get("start_date") or open311.default_since(until)
    statuses = [s for choice in wanted for s in open311.statuses_for(choice)]
    rows = queries.public_reports(categories=codes, statuses=statuses, since=since, until=until,
                                  limit=open311.MAX_RESULTS)
    return open311.respond([open311.service_request(r) for r in rows], fmt, "service_requests", "request")


@bp.get(f"{OPEN311}/requests/<request_id>.{FORMAT}")
@public
def request_detail(request_id, fmt):
    if throttle.over_limit("read"):
        return open311.error(429, "Too many requests from this address: wait a minute.", fmt)
    report = queries.public_report(request_id.lower()) if len(request_id) <= 64 else None
    if report is None:
        return open311.error(404, f"No service request with id {request_id[:64]}.", fmt)
    return open311.respond([open311.service_request(report)], fmt, "service_requests", "request")


def contact_from_form():
    """(email, phone) the partner app sent about the reporter, for staff only (never in any answer), or an
    error. The name is not kept; the partner app, not Cortile, writes to its own users."""
    typed = {key: (request.form.get(key) or "").strip() for key in ("email", "phone")}
    email = addresses.email_address(typed["email"]) if typed["email"] else None
    phone = addresses.phone_number(typed["phone"]) if typed["phone"] else None
    if typed["email"] and email is None:
        return None, None, "email is not an e-mail address."
    if typed["phone"] and phone is None:
        return None, None, "phone is not a phone number (digits, spaces and a leading +)."
    return email, phone, None


@bp.post(f"{OPEN311}/requests.{FORMAT}")
@public
@csrf.exempt
def request_new(fmt):
    request.max_content_length = FORM_ROOM  # media_url only: Open311 posts carry no file
    form = request.form
    if throttle.over_limit("post"):
        return open311.error(429, "Too many requests from this address: at most "
                             f"{current_app.config['PUBLIC_POSTS_PER_MINUTE']} a minute.", fmt)
    if not form.get("api_key"):
        return open311.error(400, "api_key was not provided: ask the Comune di Cremona for one.", fmt)
    key = key_in_force(form["api_key"])
    if key is None:
        return open311.error(403, "api_key is not valid, or was revoked.", fmt)
    if form.get("service_code") not in CATEGORIES:
        return open311.error(400, "service_code was not provided or is unknown: see services.json.", fmt)
    position = geo.point(form.get("lat"), form.get("long"))
    if position is None:
        return open311.error(400, "lat and long are required (WGS84 decimal degrees).", fmt)
    if not intake.in_cremona(position):
        return open311.error(400, "lat/long is outside the Comune di Cremona.", fmt)
    area = form.get("attribute[area]") or "other"
    if area not in AREAS:
        return open311.error(400, "attribute[area] is unknown.", fmt)
    description = (form.get("description") or "").strip()
    if len(description) > 4000:
        return open311.error(400, "description is longer than 4000 characters.", fmt)
    email, phone, wrong = contact_from_form()
    if wrong:
        return open311.error(400, wrong, fmt)
    building, _metres = intake.nearest_building(position)
    if building is None:
        return open311.error(400, "No public-housing building is registered yet.", fmt)
    row = intake.store(building=building, area=area, category=form["service_code"], description=description,
                       source="open311", email=email, phone=phone, position=position, api_key_id=key["id"])
    notice = ("Awaiting verification by the Comune di Cremona. Far from the nearest public-housing building: "
              "it will be checked." if row["far"] else "Awaiting verification by the Comune di Cremona.")
    return open311.respond([{"service_request_id": row["uuid"], "service_notice": notice, "account_id": None}],
                           fmt, "service_requests", "request")
