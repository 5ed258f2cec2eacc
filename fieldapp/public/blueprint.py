"""The public blueprint: /segnala, residents' follow-up pages, Open311 and its keys."""
from flask import Blueprint

from fieldapp.public import throttle
from fieldapp.render import render
from fieldapp.reports.api import AREAS, CATEGORIES, STATUSES

bp = Blueprint("public", __name__)

@bp.context_processor
def vocabularies():
    return {"areas": AREAS, "categories": CATEGORIES, "statuses": STATUSES}



def too_many():
    response = render("public/too_many.html", status=429, daily=throttle.daily_cap_reached())
    response.headers["Retry-After"] = throttle.retry_after()
    return response
