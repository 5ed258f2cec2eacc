"""The interventions blueprint: who plans and reads interventions, the lookup that checks it, template filters."""
from datetime import date

from flask import Blueprint, abort, request
from flask_babel import format_date
from flask_login import current_user

from fieldapp.clock import local_today
from fieldapp.db import is_uuid
from fieldapp.fields import whole_number
from fieldapp.interventions import queries
from fieldapp.interventions.vocab import KINDS, PHOTO_ROLES, STATUSES
from fieldapp.reports.api import AREAS, CATEGORIES, SEVERITIES
from fieldapp.reports.api import STATUSES as REPORT_STATUSES

bp = Blueprint("interventions", __name__)

PLANNER = "operator"


READERS = ("operator", "coordinator", "tutor")


OFFICE = ("operator", "coordinator")



@bp.context_processor
def vocabularies():
    return {"kinds": KINDS, "statuses": STATUSES, "photo_roles": PHOTO_ROLES, "areas": AREAS,
            "categories": CATEGORIES, "severities": SEVERITIES, "report_statuses": REPORT_STATUSES,
            "today": local_today().isoformat()}



@bp.app_template_filter("intervention_day")
def intervention_day(value, format="EEE d MMM y"):
    """A local day stored as YYYY-MM-DD, in the user's language."""
    return format_date(date.fromisoformat(value), format) if value else ""



def scope():
    """A tutor sees the interventions on their presidio's buildings; the office sees them all."""
    return {"presidio_code": current_user.presidio_code} if current_user.role == "tutor" else None



def intervention_or_404(ref):
    """The intervention by id, uuid or the uuid of a step sent from a phone, if the user may see it.

    Writes (and photos sent through /sync/photos) are the operator's: anyone else gets 403.
    """
    ref = str(ref).strip().lower()  # a device uuid in capitals names the same record
    row = None
    if whole_number(ref) is not None:
        row = queries.intervention(whole_number(ref))
    elif is_uuid(ref):
        found = queries.intervention_id_for(ref)
        row = queries.intervention(found) if found else None
    viewer = scope()
    if row is None or current_user.role not in READERS:
        abort(404)
    if viewer and row["presidio_code"] != viewer["presidio_code"] and viewer["presidio_code"] not in {
            b["presidio_code"] for b in queries.buildings_touched(row["id"])}:
        abort(404)
    if request.method == "POST" and current_user.role != PLANNER:
        abort(403)
    return row
