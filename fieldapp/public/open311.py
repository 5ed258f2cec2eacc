"""Open311 GeoReport v2 shapes: discovery, services and their definitions, service requests and errors, as JSON
or XML.

Spec: https://wiki.open311.org/GeoReport_v2 and https://wiki.open311.org/Service_Discovery . Everything here
is public: no author, contact, note or photo. Names and notes speak the request's language (Italian unless
Accept-Language asks for English); errors are for developers and stay in English.
"""
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from flask import current_app, request
from flask_babel import gettext as _

from fieldapp import clock, sheets
from fieldapp.reports.api import AREAS, CATEGORIES, OPEN_STATUSES, STATUSES

AGENCY = "Comune di Cremona"
# The Comune's IPA code (publiccode.yml): the one jurisdiction this endpoint serves.
JURISDICTION = "c_d150"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the services or their definitions last changed: clients refresh what they cache when it moves.
CHANGESET = "2026-12-07T00:00:00Z"
LANGUAGES = ("it", "en")
# Reports whose text a member of the public wrote, once an operator has looked at them. Staff text may
# mention residents, and an unmoderated or rejected text is nobody's to publish.
PUBLISHED_SOURCES = ("resident", "open311")
UNPUBLISHED_STATUSES = ("new", "rejected")
MAX_RESULTS = 1000
DEFAULT_DAYS = 90


def language():
    """The request's language: English when Accept-Language prefers it, else Italian."""
    return request.accept_languages.best_match(LANGUAGES, default="it") or "it"


def services():
    return [{"service_code": code, "service_name": str(label),
             "description": _("%(service)s in the common areas of a public-housing building.", service=label),
             "metadata": True, "type": "realtime", "keywords": "", "group": _("Common areas")}
            for code, label in CATEGORIES.items()]


def definition(code):
    """A service's definition: the one attribute every report takes, the common area."""
    return {"service_code": code, "attributes": [{
        "variable": True, "code": "area", "datatype": "singlevaluelist", "required": False,
        "datatype_description": _("The common area of the building; \"other\" when none fits."), "order": 1,
        "description": _("Where in the building?"),
        "values": [{"key": key, "name": str(label)} for key, label in AREAS.items()]}]}


def discovery(base_url):
    """The service discovery document: this API's one production endpoint and how to get a key."""
    return {"changeset": CHANGESET,
            "contact": _("Comune di Cremona, Servizio Alloggi: the common-areas office (reports of public-housing "
                         "buildings)."),
            "key_service": _("Keys for partner apps are issued by the Comune di Cremona's administrators."),
            "endpoints": [{"specification": SPECIFICATION, "url": base_url, "changeset": CHANGESET,
                           "type": "production", "formats": ["text/xml", "application/json"]}]}


def plain(text):
    """An address as words to compare: no accents, case, punctuation, city or postcode."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\b(cremona|cr|italia|italy|\d{5})\b", " ", text)
    text = re.sub(r"\b(n|nr|num|civico)\b\.?", " ", text)
    return " ".join(re.findall(r"[a-z]+|\d+[a-z]?", text))


def building_at(address, buildings):
    """The registry's building at an address ("Via Sardagna 3, Cremona"), or None."""
    wanted = plain(address)
    return next((b for b in buildings if wanted and plain(b["address"]) == wanted), None)


def open_or_closed(status):
    return "open" if status in OPEN_STATUSES else "closed"


def statuses_for(open_closed):
    """Our statuses behind Open311's `open` and `closed`."""
    return [s for s in STATUSES if open_or_closed(s) == open_closed]


def description_of(report):
    published = report["source"] in PUBLISHED_SOURCES and report["status"] not in UNPUBLISHED_STATUSES
    return report["description"] if published else None


def service_request(report):
    return {
        "service_request_id": report["uuid"],
        "status": open_or_closed(report["status"]),
        "status_notes": str(STATUSES[report["status"]]),
        "service_name": str(CATEGORIES.get(report["category"], report["category"])),
        "service_code": report["category"],
        "description": description_of(report),
        "agency_responsible": "ALER Brescia-Cremona-Mantova" if report["aler_passed_at"] else AGENCY,
        "service_notice": None,
        "requested_datetime": report["created_at"],
        "updated_datetime": report["updated_at"],
        "expected_datetime": None,
        # The building's position, never the phone's: where a reporter stood is not public.
        "address": f"{report['address']}, Cremona",
        "address_id": report["building_code"],
        "zipcode": None,
        "lat": report["lat"],
        "long": report["lon"],
        "media_url": None,
    }


def w3_datetime(value):
    """A W3C datetime with its zone (2026-11-18T10:30:00Z, or +01:00) as UTC column text; None if not one."""
    try:
        moment = datetime.fromisoformat((value or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None or not (1900 <= moment.year <= 2199):
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_since(until=None):
    """The spec's default window: the 90 days before `until` (or now)."""
    end = datetime.strptime(until, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) if until else clock.utc_now()
    return clock.iso(end - timedelta(days=DEFAULT_DAYS))


# --- output -----------------------------------------------------------------------------

# XML names of list items: the spec's <endpoints><endpoint>, <formats><format>, <values><value>...
ITEMS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


def _fill(element, value):
    if isinstance(value, dict):
        for key, inner in value.items():
            _fill(ET.SubElement(element, key), inner)
    elif isinstance(value, list):
        for inner in value:
            _fill(ET.SubElement(element, ITEMS.get(element.tag, "item")), inner)
    elif value is not None:
        element.text = ("true" if value else "false") if isinstance(value, bool) else sheets.xml_text(value)


def _xml(root, item, rows):
    top = ET.Element(root)
    if item is None:
        _fill(top, rows)
    else:
        for row in rows:
            _fill(ET.SubElement(top, item), row)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8", xml_declaration=False)


def respond(rows, fmt, root, item, status=200):
    """JSON, or XML under <root> with an <item> per row (item None: `rows` is one document)."""
    if fmt == "xml":
        body, mimetype = _xml(root, item, rows), "text/xml"
    else:
        body, mimetype = json.dumps(rows, ensure_ascii=False), "application/json"
    response = current_app.response_class(body, status=status, mimetype=mimetype)
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data, read by partner web apps
    response.vary.add("Accept-Language")
    return response


def error(code, description, fmt="json"):
    """An error in the spec's shape: [{"code": 400, "description": "..."}]."""
    return respond([{"code": code, "description": description}], fmt, "errors", "error", status=code)
