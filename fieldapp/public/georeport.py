"""The Open311 GeoReport v2 API: service discovery, services and their definitions, service requests.

JSON or XML by extension. `jurisdiction_id` is optional; when given it must be the Comune's (c_d150).
Service names, descriptions and status notes follow Accept-Language (Italian unless English is preferred).
"""
from functools import wraps

from flask import current_app, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from fieldapp import geo
from fieldapp.access import public
from fieldapp.limits import body_limit
from fieldapp.messages import addresses
from fieldapp.public import intake, open311, queries, throttle
from fieldapp.public.blueprint import bp
from fieldapp.public.routes import FORM_ROOM, key_in_force
from fieldapp.registry import api as registry
from fieldapp.reports.api import AREAS, CATEGORIES
from fieldapp.security import csrf

OPEN311 = "/open311/v2"
FORMAT = "<any(json, xml):fmt>"
TOO_MANY = "Too many requests from this address: wait a minute."


def open311_error(code, message):
    """Errors under /open311/ in the spec's shape (declared by the area's setup)."""
    return open311.error(code, message, "xml" if request.path.endswith(".xml") else "json")


def georeport(reads=True):
    """Open311's own rules around a view: the read throttle, the jurisdiction, the request's language."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            fmt = kwargs.get("fmt", "json")
            if reads and throttle.over_limit("read"):
                refused = open311.error(429, TOO_MANY, fmt)
                refused.headers["Retry-After"] = throttle.retry_after()
                return refused
            jurisdiction = (request.values.get("jurisdiction_id") or "").strip()
            if jurisdiction and jurisdiction.lower() != open311.JURISDICTION:
                return open311.error(404, f"Unknown jurisdiction_id {jurisdiction[:40]}: this endpoint serves "
                                          f"{open311.JURISDICTION} (Comune di Cremona).", fmt)
            with force_locale(open311.language()):
                return view(*args, **kwargs)
        return wrapped
    return decorator


@bp.get(f"/open311/discovery.{FORMAT}")
@public
@georeport()
def discovery(fmt):
    base = url_for("public.services", fmt="json", _external=True).rsplit("/services.json", 1)[0]
    return open311.respond(open311.discovery(base), fmt, "discovery", None)


@bp.get(f"{OPEN311}/services.{FORMAT}")
@public
@georeport()
def services(fmt):
    return open311.respond(open311.services(), fmt, "services", "service")


@bp.get(f"{OPEN311}/services/<code>.{FORMAT}")
@public
@georeport()
def service_definition(code, fmt):
    if code not in CATEGORIES:
        return open311.error(404, f"No service with service_code {code[:40]}: see services.json.", fmt)
    return open311.respond(open311.definition(code), fmt, "service_definition", None)


def comma_list(name):
    return [v.strip() for v in (request.args.get(name) or "").split(",") if v.strip()]


@bp.get(f"{OPEN311}/requests.{FORMAT}")
@public
@georeport()
def requests_list(fmt):
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
@georeport()
def request_detail(request_id, fmt):
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


def place(form, fmt):
    """(building, position, None) of a request: its lat/long, else its address_id or address_string; or
    (None, None, error response)."""
    if form.get("lat") or form.get("long"):
        position = geo.point(form.get("lat"), form.get("long"))
        if position is None:
            return None, None, open311.error(400, "lat and long are required together (WGS84 decimal degrees).", fmt)
        if not intake.in_cremona(position):
            return None, None, open311.error(400, "lat/long is outside the Comune di Cremona.", fmt)
        building, _metres = intake.nearest_building(position)
        if building is None:
            return None, None, open311.error(400, "No public-housing building is registered yet.", fmt)
        return building, position, None
    buildings = registry.all_buildings()
    if form.get("address_id"):
        building = next((b for b in buildings if b["code"] == form["address_id"].strip()), None)
        if building is None:
            return None, None, open311.error(400, f"address_id {form['address_id'][:40]} is not a public-housing "
                                                  "building: see address_id in requests.json.", fmt)
        return building, None, None
    if form.get("address_string"):
        building = open311.building_at(form["address_string"], buildings)
        if building is None:
            return None, None, open311.error(400, f"address_string {form['address_string'][:80]!r} is not the "
                                                  "address of a public-housing building (street and number).", fmt)
        return building, None, None
    return None, None, open311.error(400, "A location is required: lat and long, address_string or address_id.",
                                     fmt)


@bp.post(f"{OPEN311}/requests.{FORMAT}")
@public
@csrf.exempt
@body_limit(FORM_ROOM)  # media_url only: Open311 posts carry no file
@georeport(reads=False)
def request_new(fmt):
    form = request.form
    if throttle.over_limit("post"):
        daily = throttle.daily_cap_reached()
        limit = current_app.config["PUBLIC_POSTS_PER_DAY" if daily else "PUBLIC_POSTS_PER_MINUTE"]
        refused = open311.error(429, f"Too many requests from this address: at most {limit} a "
                                     f"{'day' if daily else 'minute'}.", fmt)
        refused.headers["Retry-After"] = throttle.retry_after()
        return refused
    if not form.get("api_key"):
        return open311.error(400, "api_key was not provided: ask the Comune di Cremona for one.", fmt)
    key = key_in_force(form["api_key"])
    if key is None:
        return open311.error(403, "api_key is not valid, or was revoked.", fmt)
    if form.get("service_code") not in CATEGORIES:
        return open311.error(400, "service_code was not provided or is unknown: see services.json.", fmt)
    building, position, refused = place(form, fmt)
    if refused is not None:
        return refused
    area = form.get("attribute[area]") or "other"
    if area not in AREAS:
        return open311.error(400, "attribute[area] is unknown: see the service's definition.", fmt)
    description = (form.get("description") or "").strip()
    if len(description) > 4000:
        return open311.error(400, "description is longer than 4000 characters.", fmt)
    email, phone, wrong = contact_from_form()
    if wrong:
        return open311.error(400, wrong, fmt)
    row = intake.store(building=building, area=area, category=form["service_code"], description=description,
                       source="open311", email=email, phone=phone, position=position, api_key_id=key["id"])
    notice = (_("Awaiting verification by the Comune di Cremona. Far from the nearest public-housing building: "
                "it will be checked.") if row["far"] else _("Awaiting verification by the Comune di Cremona."))
    return open311.respond([{"service_request_id": row["uuid"], "service_notice": notice, "account_id": None}],
                           fmt, "service_requests", "request")
