"""The arrears team's blueprint: who works the cases and who reads them, the lookups, the vocabularies."""
from flask import Blueprint, abort, current_app

from fieldapp.arrears import queries, vocab

bp = Blueprint("arrears", __name__, url_prefix="/arrears")

TEAM = ("equipe",)


READERS = ("equipe", "coordinator")



@bp.context_processor
def arrears_vocabularies():
    return {"vocab": vocab, "euro": euro}



def euro(value):
    """Cents as Italian-style euros: 1.234,56."""
    if value is None:
        return "—"
    sign = "-" if value < 0 else ""
    whole, rest = divmod(abs(int(value)), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d}"



def household_or_404(household_id):
    household = queries.household(household_id)
    if household is None:
        abort(404)
    return household



def config_settings():
    config = current_app.config
    return {"min": config["ARREARS_PLAN_MIN_INSTALMENT_CENTS"], "max": config["ARREARS_PLAN_MAX_INSTALMENTS"],
            "due_day": config["ARREARS_PLAN_DUE_DAY"], "grace_days": config["ARREARS_PLAN_GRACE_DAYS"]}
