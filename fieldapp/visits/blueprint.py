"""The visits blueprint: home visits, follow-ups, the household timeline and the agenda."""
from flask import Blueprint, abort
from flask_login import current_user

from fieldapp.access import can_see_household
from fieldapp.audit import audit
from fieldapp.db import is_uuid
from fieldapp.visits import queries

bp = Blueprint("visits", __name__)


VISIT_ROLES = ("tutor", "coordinator")


def visit_or_404(visit_uuid):
    """The visit, if it exists and the user may see its household; 404 otherwise (no guessing)."""
    visit = queries.visit(visit_uuid) if is_uuid(visit_uuid) else None
    if visit is None:
        abort(404)
    if not can_see_household(current_user, visit["presidio_code"]):
        audit("access_refused", target=visit["household_code"], detail={"visit": visit_uuid})
        abort(404)
    return visit


def followup_or_404(followup_uuid):
    followup = queries.followup(followup_uuid) if is_uuid(followup_uuid) else None
    if followup is None:
        abort(404)
    if not can_see_household(current_user, followup["presidio_code"]):
        audit("access_refused", target=followup["household_code"], detail={"followup": followup_uuid})
        abort(404)
    return followup
