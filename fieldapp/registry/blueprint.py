"""The registry blueprint: households and buildings, and the lookups that check who may see them."""
from flask import Blueprint, abort, request
from flask_login import current_user

from fieldapp.access import can_see_household
from fieldapp.audit import audit
from fieldapp.registry import queries

bp = Blueprint("registry", __name__)

HOUSEHOLD_ROLES = ("tutor", "coordinator")


def household_or_404(household_id):
    """The household, if it exists and the signed-in user may see it; 404 otherwise (no guessing)."""
    household = queries.household(household_id)
    if household is None:
        abort(404)
    if not can_see_household(current_user, household["presidio_code"]):
        # Same answer as a missing record, but a refused attempt on a real one is on the record.
        audit("access_refused", target=household["code"], detail={"presidio": household["presidio_code"]})
        abort(404)
    return household


def building_or_404(building_id):
    building = queries.building(building_id)
    if building is None:
        abort(404)
    return building


def visible_presidio():
    """The presidio whose households this user sees: their own, or any the coordinator picks."""
    if current_user.role == "tutor":
        return current_user.presidio_code
    return request.args.get("presidio") or None
