"""The reports blueprint: who files and reads reports, the lookup that checks it, their vocabularies."""
from flask import Blueprint, abort

from fieldapp.db import is_uuid
from fieldapp.reports import filters, queries
from fieldapp.reports.vocab import AREAS, CATEGORIES, LOCATION_SOURCES, SEVERITIES, SOURCES, STATUSES

bp = Blueprint("reports", __name__)

FILERS = ("tutor", "operator", "community", "coordinator")



@bp.context_processor
def vocabularies():
    return {"areas": AREAS, "categories": CATEGORIES, "severities": SEVERITIES, "statuses": STATUSES,
            "location_sources": LOCATION_SOURCES, "sources": SOURCES}



def report_or_404(uuid):
    """The report, if it exists and the signed-in user may see it; 404 otherwise."""
    report = queries.report(uuid) if is_uuid(uuid) else None
    if report is None or not filters.can_see(report):
        abort(404)
    return report
