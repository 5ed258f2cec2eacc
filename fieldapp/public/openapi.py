"""The OpenAPI description of the Open311 GeoReport v2 endpoints (fieldapp.public.georeport), for /openapi.json.

Written as the views answer: JSON or XML by the path's extension, errors as a list of `{code, description}`.
`tests/test_openapi.py` fuzzes the views against it with schemathesis.
"""
from fieldapp.public import open311
from fieldapp.public.intake import CREMONA
from fieldapp.reports.api import AREAS, CATEGORIES

REF = "#/components/schemas/"
FORMATS = {"json": "application/json", "xml": "text/xml"}
TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": "string", "nullable": True}
W3C = "A W3C datetime with its zone, for example 2026-11-01T00:00:00Z."


def _schema(name):
    return {"$ref": REF + name}


def answer(description, schema):
    """A response in JSON (described by `schema`) or in XML (the same fields, under the spec's element names)."""
    return {"description": description, "content": {
        "application/json": {"schema": _schema(schema)},
        "text/xml": {"schema": {"type": "string", "description": "The same document as XML."}}}}


def errors(*codes):
    why = {400: "A parameter is missing or wrong; the description names it.",
           403: "The api_key is not valid, or was revoked.",
           404: "Unknown jurisdiction_id, service_code or service request.",
           413: "The request body is over 256 KiB.",
           422: "A text field holds a control or bidi character; the description names the field.",
           429: "Too many requests from this address; wait `Retry-After` seconds."}
    return {str(code): {**answer(why[code], "Errors"),
                        **({"headers": {"Retry-After": {"schema": {"type": "integer"}, "required": True,
                                                        "description": "Seconds to wait."}}} if code == 429 else {})}
            for code in codes}


FMT = {"name": "fmt", "in": "path", "required": True, "description": "json or xml: the answer's format.",
       "schema": {"type": "string", "enum": list(FORMATS)}}
ONE_JURISDICTION = {"type": "string", "enum": [open311.JURISDICTION],
                    "description": f"Optional; another than {open311.JURISDICTION} (Comune di Cremona) is a 404."}
JURISDICTION = {"name": "jurisdiction_id", "in": "query", "required": False, "schema": ONE_JURISDICTION}


def read(summary, operation_id, ok, *, parameters=(), codes=(404, 429)):
    return {"get": {"summary": summary, "operationId": operation_id, "tags": ["Open311"], "security": [],
                    "parameters": [FMT, *parameters, JURISDICTION],
                    "responses": {"200": ok, **errors(*codes)}}}


def query(name, description, schema=TEXT):
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


SERVICE_CODE = {"type": "string", "enum": list(CATEGORIES)}
AREA_CODE = {"type": "string", "enum": list(AREAS)}

SCHEMAS = {
    "Errors": {"type": "array", "minItems": 1, "items": {
        "type": "object", "required": ["code", "description"], "properties": {
            "code": {"type": "integer", "description": "The HTTP status."}, "description": TEXT}}},
    "Discovery": {"type": "object", "required": ["changeset", "endpoints"], "properties": {
        "changeset": TEXT, "contact": TEXT, "key_service": TEXT,
        "endpoints": {"type": "array", "items": {"type": "object", "required": ["specification", "url"],
                                                 "properties": {"specification": TEXT, "url": TEXT,
                                                                "changeset": TEXT, "type": TEXT,
                                                                "formats": {"type": "array", "items": TEXT}}}}}},
    "Services": {"type": "array", "items": {
        "type": "object", "required": ["service_code", "service_name", "metadata", "type"], "properties": {
            "service_code": SERVICE_CODE, "service_name": TEXT, "description": TEXT, "metadata": {"type": "boolean"},
            "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]}, "keywords": TEXT,
            "group": TEXT}}},
    "ServiceDefinition": {"type": "object", "required": ["service_code", "attributes"], "properties": {
        "service_code": SERVICE_CODE,
        "attributes": {"type": "array", "items": {
            "type": "object", "required": ["variable", "code", "datatype", "required", "order", "description"],
            "properties": {"variable": {"type": "boolean"}, "code": TEXT, "datatype": TEXT,
                           "required": {"type": "boolean"}, "datatype_description": TEXT,
                           "order": {"type": "integer"}, "description": TEXT,
                           "values": {"type": "array", "items": {
                               "type": "object", "required": ["key", "name"],
                               "properties": {"key": AREA_CODE, "name": TEXT}}}}}}}},
    "ServiceRequests": {"type": "array", "maxItems": open311.MAX_RESULTS, "items": {
        "type": "object",
        "required": ["service_request_id", "status", "service_code", "requested_datetime", "address"],
        "properties": {
            "service_request_id": TEXT, "status": {"type": "string", "enum": ["open", "closed"]},
            "status_notes": TEXT, "service_name": TEXT, "service_code": TEXT,
            "description": {**NULLABLE_TEXT, "description": "Published once the Comune has verified it."},
            "agency_responsible": TEXT, "service_notice": NULLABLE_TEXT, "requested_datetime": TEXT,
            "updated_datetime": NULLABLE_TEXT, "expected_datetime": NULLABLE_TEXT,
            "address": {"type": "string", "description": "The building's address (never the reporter's place)."},
            "address_id": {**NULLABLE_TEXT, "description": "The building's code: use it to post to the same one."},
            "zipcode": NULLABLE_TEXT, "lat": {"type": "number", "nullable": True},
            "long": {"type": "number", "nullable": True}, "media_url": NULLABLE_TEXT}}},
    "Created": {"type": "array", "minItems": 1, "maxItems": 1, "items": {
        "type": "object", "required": ["service_request_id", "service_notice"], "properties": {
            "service_request_id": TEXT, "service_notice": TEXT, "account_id": NULLABLE_TEXT}}},
    "NewRequest": {"type": "object", "required": ["api_key", "service_code"],
                   "anyOf": [{"required": ["lat", "long"]}, {"required": ["address_id"]},
                             {"required": ["address_string"]}], "properties": {
        "api_key": {"type": "string", "description": "The partner app's key, issued by the administrators "
                                                     "(`flask open311 issue-key NAME`)."},
        "service_code": SERVICE_CODE,
        "jurisdiction_id": ONE_JURISDICTION,
        "lat": {"type": "number", "minimum": CREMONA[0], "maximum": CREMONA[1],
                "description": "WGS84 latitude, with long: a point in the Comune di Cremona (else 400)."},
        "long": {"type": "number", "minimum": CREMONA[2], "maximum": CREMONA[3],
                 "description": "WGS84 longitude, with lat."},
        "address_string": {"type": "string", "description": "A building's street and number, if no lat/long."},
        "address_id": {"type": "string", "description": "A building's code (address_id in requests.json)."},
        "attribute[area]": {**AREA_CODE, "description": "The common area; other when none fits."},
        "description": {"type": "string", "maxLength": 4000},
        "email": {"type": "string", "description": "For staff only; never in any answer."},
        "phone": {"type": "string", "description": "For staff only; never in any answer."},
        "first_name": {"type": "string", "description": "Not kept."},
        "last_name": {"type": "string", "description": "Not kept."},
        "device_id": TEXT, "account_id": TEXT, "media_url": TEXT}},
}

PATHS = {
    "/open311/discovery.{fmt}": read(
        "Service discovery: this endpoint, its formats and how to get a key", "discovery",
        answer("The discovery document.", "Discovery")),
    "/open311/v2/services.{fmt}": read(
        "The services: one per kind of problem in a common area", "services",
        answer("Every service.", "Services")),
    "/open311/v2/services/{service_code}.{fmt}": read(
        "A service's definition: the common area it asks for", "service_definition",
        answer("The definition.", "ServiceDefinition"),
        parameters=[{"name": "service_code", "in": "path", "required": True, "schema": SERVICE_CODE,
                     "description": "Another code is a 404."}]),
    "/open311/v2/requests.{fmt}": {
        **read("Service requests verified by the Comune, newest first", "requests_list",
               answer(f"At most {open311.MAX_RESULTS} requests.", "ServiceRequests"), codes=(400, 404, 429),
               parameters=[
                   query("service_request_id", "Comma-separated ids: every other filter is then ignored."),
                   query("service_code", "Comma-separated service codes."),
                   query("status", "open, closed, or both comma-separated."),
                   query("start_date", W3C + f" Default: {open311.DEFAULT_DAYS} days before end_date."),
                   query("end_date", W3C)]),
        "post": {"summary": "Post a service request (a report of a neglected common area)",
                 "operationId": "request_new", "tags": ["Open311"], "security": [],
                 "parameters": [FMT],
                 "requestBody": {"required": True, "content": {
                     "application/x-www-form-urlencoded": {"schema": _schema("NewRequest")}}},
                 "responses": {"200": answer("Stored, awaiting verification.", "Created"),
                               **errors(400, 403, 404, 413, 422, 429)}}},
    "/open311/v2/requests/{service_request_id}.{fmt}": read(
        "One service request", "request_detail", answer("A list of that one request.", "ServiceRequests"),
        parameters=[{"name": "service_request_id", "in": "path", "required": True, "schema": TEXT}]),
}

OPENAPI = {"paths": PATHS, "components": {"schemas": SCHEMAS}}
