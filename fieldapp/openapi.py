"""GET /openapi.json: the OpenAPI 3.0 description of the machine-facing APIs (Open311 and the sync protocol).

Each area that has such an API declares its part (`Area.openapi`: `{"paths": ..., "components": ...}`) next to
its views; this module only puts the parts together. It describes the API and reveals no data: public.
"""
from flask import Blueprint, current_app, jsonify

from fieldapp import area
from fieldapp.access import public

bp = Blueprint("openapi", __name__)

INTRODUCTION = """Cortile's machine-facing APIs, in English.

* **Open311 GeoReport v2** (`/open311/`): the Comune di Cremona's public service requests about the common
  areas of public-housing buildings. Reads are open; a post needs an `api_key` issued by the administrators.
  Open311 puts the key in the form body, where OpenAPI has no security scheme: it is described as a
  required field of the request body. Errors are a list of `{code, description}`, in XML too.
* **Sync** (`/sync/`): the phones' outbox protocol, for a signed-in member of staff (the `session` cookie);
  a POST also carries the CSRF token from `GET /sync/token` in the `X-CSRFToken` header.

Every client is limited per address: Open311 reads and posts answer 429 with `Retry-After` past the limit.
"""


def document(app):
    """The description of the installed areas' APIs, as a dict."""
    paths, components = {}, {}
    for declared in area.installed(app):
        part = declared.openapi or {}
        paths.update(part.get("paths", {}))
        for kind, entries in part.get("components", {}).items():
            components.setdefault(kind, {}).update(entries)
    return {"openapi": "3.0.3",
            "info": {"title": "Cortile API", "version": app.config["VERSION"], "description": INTRODUCTION,
                     "license": {"name": "EUPL-1.2"}},
            "paths": dict(sorted(paths.items())), "components": components}


@bp.get("/openapi.json")
@public
def description():
    response = jsonify(document(current_app))
    response.headers["Access-Control-Allow-Origin"] = "*"  # read by API tools on other origins
    return response
