"""The sync protocol's JSON endpoints (a data API of its own, apart from the HTML pages)."""
from flask import Blueprint, jsonify
from flask_wtf.csrf import generate_csrf

from fieldapp.access import ROLES, allow

bp = Blueprint("sync", __name__, url_prefix="/sync")


@bp.get("/token")
@allow(*ROLES)
def token():
    """A fresh CSRF token, fetched by the outbox before it replays saved forms."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response
