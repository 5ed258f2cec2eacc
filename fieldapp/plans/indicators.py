"""The plans area's indicators: numerators over its records, declared in fieldapp/plans/__init__.py."""
from flask_babel import lazy_gettext as _l

from fieldapp.indicators.measure import tally
from fieldapp.indicators.registry import indicator

# A person's place is their household's building; after the retention policy ran there is none ('').
_PERSON = """plans p JOIN plan_persons pp ON pp.id = p.person_id LEFT JOIN households h ON h.id = pp.household_id
    LEFT JOIN units un ON un.id = h.unit_id LEFT JOIN buildings b ON b.id = un.building_id"""
_LINKS = {"records": "plans.plan_list", "record_dates": False}


@indicator("plans.people", _l("People with an individual plan"), service="plans", tables=("plans", "plan_persons"),
           counted=_l("people"),
           additive=False,
           description=_l("People with an individual educational plan agreed and not closed during the period."),
           disaggregations=("quartiere", "presidio"), **_LINKS)
def plans_people(period, by=None, scope=None):
    return tally("COUNT(DISTINCT p.person_id)", _PERSON,
                 "p.agreed_on < ? AND (p.closed_on IS NULL OR p.closed_on >= ?)",
                 [period.end.isoformat(), period.start.isoformat()], by=by, scope=scope)


@indicator("plans.goals_attained", _l("Plan goals attained"), service="plans", additive=False,
           counted=_l("goals"),
           tables=("plans", "plan_persons", "plan_goals", "plan_reviews", "plan_review_scores"),
           disaggregations=("quartiere", "presidio"), **_LINKS,
           description=_l(
               "Goals scored at or above the expected result (0 or more) at their last review in the period."))
def plans_goals_attained(period, by=None, scope=None):
    return tally("COUNT(DISTINCT sc.goal_id)", f"{_PERSON} JOIN plan_reviews r ON r.plan_id = p.id "
                 "JOIN plan_review_scores sc ON sc.review_id = r.id",
                 """sc.score >= 0 AND r.reviewed_on >= ? AND r.reviewed_on < ? AND r.id = (
                        SELECT r2.id FROM plan_reviews r2 JOIN plan_review_scores s2 ON s2.review_id = r2.id
                        WHERE r2.plan_id = r.plan_id AND s2.goal_id = sc.goal_id AND r2.reviewed_on < ?
                        ORDER BY r2.reviewed_on DESC, r2.id DESC LIMIT 1)""",
                 [period.start.isoformat(), period.end.isoformat(), period.end.isoformat()], by=by, scope=scope)


INDICATORS = (plans_people, plans_goals_attained,)
