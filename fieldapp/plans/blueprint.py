"""The plans blueprint: who writes and reads individual plans, the lookup that checks it."""
from flask import Blueprint, abort
from flask_login import current_user

from fieldapp.clock import local_today
from fieldapp.plans import queries, vocab

bp = Blueprint("plans", __name__, url_prefix="/plans")

EDUCATOR = "educator"


READERS = ("educator", "coordinator")



@bp.context_processor
def plan_vocabularies():
    return {"vocab": vocab, "today_iso": local_today().isoformat()}



def mine():
    """The educator's own plans only; coordinators read them all."""
    return current_user.id if current_user.role == EDUCATOR else None



def plan_or_404(plan_id, write=False):
    """The plan, if the user is its educator or a coordinator (who only reads); 404 otherwise."""
    plan = queries.plan(plan_id)
    if plan is None or (current_user.role == EDUCATOR and plan["educator_id"] != current_user.id):
        abort(404)
    if write and (current_user.role != EDUCATOR or plan["status"] != "active"):
        abort(403 if current_user.role != EDUCATOR else 409)
    return plan
