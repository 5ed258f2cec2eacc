"""The heating blueprint: who computes and reads heating contributions, lookups, vocabularies."""
from flask import Blueprint, abort

from fieldapp.heating import queries, vocab

bp = Blueprint("heating", __name__, url_prefix="/heating")

EQUIPE = ("equipe",)


READERS = ("equipe", "coordinator")


@bp.context_processor
def vocabularies():
    return {"statuses": vocab.STATUSES, "reasons": vocab.REASONS, "rules": vocab.RULES, "actions": vocab.ACTIONS,
            "decisions": vocab.DECISIONS, "causes": vocab.CAUSES, "kinds": vocab.KINDS,
            "recovery_states": vocab.RECOVERY_STATES, "cause_label": vocab.cause_label}


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
