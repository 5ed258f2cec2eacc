"""Open311 GeoReport v2 shapes: services, service requests and errors, as JSON or XML.

Spec: https://wiki.open311.org/GeoReport_v2 . Everything here is public: no author, contact, note or photo.
"""
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import force_locale

from fieldapp import clock
from fieldapp.reports.api import CATEGORIES, OPEN_STATUSES, STATUSES

AGENCY = "Comune di Cremona"
# Reports whose text a member of the public wrote, once an operator has looked at them. Staff text may
# mention residents, and an unmoderated or rejected text is nobody's to publish.
PUBLISHED_SOURCES = ("resident", "open311")
UNPUBLISHED_STATUSES = ("new", "rejected")
MAX_RESULTS = 1000
DEFAULT_DAYS = 90


def english(label):
    with force_locale("en"):
        return str(label)


def services():
    return [{"service_code": code, "service_name": english(label),
             "description": english(label) + " in the common areas of a public-housing building.",
             "metadata": False, "type": "realtime", "keywords": "", "group": "Common areas"}
            for code, label in CATEGORIES.items()]


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
        "status_notes": english(STATUSES[report["status"]]),
        "service_name": english(CATEGORIES.get(report["category"], report["category"])),
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

def _xml(root, item, rows):
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        for key, value in row.items():
            child = ET.SubElement(element, key)
            if value is not None:
                child.text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8", xml_declaration=False)


def respond(rows, fmt, root, item, status=200):
    if fmt == "xml":
        body, mimetype = _xml(root, item, rows), "text/xml"
    else:
        body, mimetype = json.dumps(rows, ensure_ascii=False), "application/json"
    response = current_app.response_class(body, status=status, mimetype=mimetype)
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data, read by partner web apps
    return response


def error(code, description, fmt="json"):
    """An error in the spec's shape: [{"code": 400, "description": "..."}]."""
    return respond([{"code": code, "description": description}], fmt, "errors", "error", status=code)
