"""The pacts blueprint: who manages and reads community pacts, and the lookups that check it."""
from flask import Blueprint, abort
from flask_login import current_user

from fieldapp.clock import local_today
from fieldapp.db import is_uuid
from fieldapp.fields import whole_number
from fieldapp.pacts import queries, vocab
from fieldapp.reports.api import AREAS

bp = Blueprint("pacts", __name__, url_prefix="/pacts")

MANAGER = "community"


READERS = ("community", "coordinator", "tutor")



@bp.context_processor
def pact_vocabularies():
    return {"vocab": vocab, "common_areas": AREAS, "today_iso": local_today().isoformat()}



def scope():
    """A tutor reads the pacts of their presidio; the others all of them."""
    return current_user.presidio_code if current_user.role == "tutor" else None



def pact_or_404(pact_id):
    pact = queries.pact(whole_number(str(pact_id))) if whole_number(str(pact_id)) is not None else None
    if pact is None or (scope() and pact["presidio_code"] != scope()):
        abort(404)
    return pact



def activity_pact_or_404(ref):
    """The pact an activity (or a pact id) names: the photo owner lookup for /sync/photos."""
    activity = queries.activity(ref) if is_uuid(ref) else None
    if activity is None:
        abort(404)
    pact_or_404(activity["pact_id"])
    if current_user.role != MANAGER:
        abort(403)
    return activity


def activity_photos_or_404(ref):
    """The activity whose photos the user may see: whoever may read its pact (404 otherwise)."""
    activity = queries.activity(ref) if is_uuid(ref) else None
    if activity is None or current_user.role not in READERS:
        abort(404)
    pact_or_404(activity["pact_id"])
    return activity
