"""The heating blueprint: who computes and reads heating contributions, lookups, vocabularies."""
from flask import Blueprint, abort

from fieldapp.heating import queries
from fieldapp.heating.vocab import ACTIONS, REASONS, RULES, STATUSES

bp = Blueprint("heating", __name__, url_prefix="/heating")

EQUIPE = ("equipe",)


READERS = ("equipe", "coordinator")



@bp.context_processor
def vocabularies():
    return {"statuses": STATUSES, "reasons": REASONS, "rules": RULES, "actions": ACTIONS}



def season_or_404(code):
    season = queries.season(code)
    if season is None:
        abort(404)
    return season



def contribution_or_404(contribution_id):
    row = queries.contribution(contribution_id)
    if row is None:
        abort(404)
    return row
