"""The meetings blueprint: group meetings of the community work."""
from flask import Blueprint, abort

from fieldapp.db import is_uuid
from fieldapp.meetings import queries

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

# Meetings are not household data: no presidio scope, and no names anywhere.
MEETING_ROLES = ("community", "tutor", "coordinator")


def meeting_or_404(meeting_uuid):
    meeting = queries.meeting(meeting_uuid) if is_uuid(meeting_uuid) else None
    if meeting is None:
        abort(404)
    return meeting
