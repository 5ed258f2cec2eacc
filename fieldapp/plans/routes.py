"""Individual educational plans: the educator's plans, sessions (offline too), goals, reviews, agenda.

Need to know (GDPR art. 9): the content is for the plan's educator and the coordinators; the
household's tutor sees a flag on the household page. Every read is in the audit log.
"""
from datetime import date, timedelta

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from fieldapp import bounds
from fieldapp.access import allow
from fieldapp.audit import audit
from fieldapp.fields import local_today
from fieldapp.plans import queries, vocab
from fieldapp.plans.blueprint import EDUCATOR, READERS, bp, mine, plan_or_404
from fieldapp.plans.forms import CloseForm, GoalForm, PlanForm, ReviewForm, SessionForm
from fieldapp.records.ingest import field_record, record_uuid
from fieldapp.render import render

AGENDA_DAYS = 30


def plan_page(plan, status=200, goal_form=None):
    return render("plans/plan.html", status=status, plan=plan, goals=queries.goals(plan["id"]),
                  sessions=queries.sessions(plan["id"]), reviews=queries.reviews(plan["id"]),
                  goal_form=goal_form or GoalForm(), can_write=current_user.role == EDUCATOR
                  and plan["status"] == "active")


@bp.get("/")
@allow(*READERS)
def plan_list():
    plans = queries.plans(mine())
    audit("plan_list_read", detail={"count": len(plans)})
    return render("plans/plans.html", plans=plans)


@bp.route("/new", methods=["GET", "POST"])
@allow(EDUCATOR)
def plan_new():
    form = PlanForm()
    if not form.is_submitted():
        return render("plans/plan_form.html", form=form)
    household = queries.household(form.household.data) if form.household.data else None
    ok = form.validate()
    if form.household.data and household is None:
        form.household.errors.append(_("No active household has this code."))
        ok = False
    if not ok:
        return render("plans/plan_form.html", form=form, status=422)
    review_on = form.review_on.data or form.agreed_on.data + timedelta(days=vocab.REVIEW_DAYS)
    plan_id = queries.create_plan(
        {"birth_band": form.birth_band.data, "household_id": household["id"]},
        {"educator_id": current_user.id, "referrer": form.referrer.data,
         "agreed_on": form.agreed_on.data.isoformat(), "protocol": form.protocol.data,
         "review_on": review_on.isoformat(), "objectives": form.objectives.data or "",
         "expected_results": form.expected_results.data or "", "supports": form.supports.data or "",
         "commitments": form.commitments.data or ""}, current_user.id)
    audit("plan_created", target=household["code"], detail={"plan": plan_id})
    flash(_("Plan opened. Next review on %(day)s.", day=review_on.strftime("%d/%m/%Y")), "success")
    return redirect(url_for(".plan_detail", plan_id=plan_id), 303)


@bp.get("/<int:plan_id>")
@allow(*READERS)
def plan_detail(plan_id):
    plan = plan_or_404(plan_id)
    audit("plan_read", target=plan["person_code"], detail={"plan": plan_id})
    return plan_page(plan)


@bp.post("/<int:plan_id>/goals")
@allow(EDUCATOR)
def goal_add(plan_id):
    plan = plan_or_404(plan_id, write=True)
    form = GoalForm()
    if not form.validate():
        return plan_page(plan, 422, goal_form=form)
    queries.add_goal(plan_id, {"domain": form.domain.data, "text": form.text.data,
                               "baseline": form.baseline.data or "", "target": form.target.data or ""})
    flash(_("Goal added."), "success")
    return redirect(url_for(".plan_detail", plan_id=plan_id), 303)


@bp.route("/<int:plan_id>/sessions/new", methods=["GET", "POST"])
@allow(EDUCATOR)
def session_new(plan_id):
    """A session is a field record (fieldapp.records.ingest.field_record): replay by uuid, validation, store once."""
    plan = plan_or_404(plan_id)
    form = SessionForm()
    form.prepare(queries.goals(plan_id))
    if not form.is_submitted():
        audit("plan_read", target=plan["person_code"], detail={"plan": plan_id, "page": "session_form"})
        return render("plans/session_form.html", form=form, plan=plan)
    session_uuid = record_uuid(form.uuid.data)
    content = form.content(plan)

    def refusal():
        form.uuid.data = session_uuid
        if plan["status"] != "active":
            form.form_errors.append(_("This plan is closed: it takes no more sessions."))
            return render("plans/session_form.html", form=form, plan=plan, status=409)
        if not (form.validate() & form.check_dates(plan)):
            return render("plans/session_form.html", form=form, plan=plan, status=422)
        return None

    def store(_tx, uuid, fingerprint):
        queries.create_session(uuid, plan_id, {k: v for k, v in content.items() if k != "plan_id"},
                               current_user.id, form.client_created_at.data, fingerprint)
        flash(_("Session saved."), "success")

    return field_record("plan_sessions", session_uuid, content, validate=refusal, store=store,
                        location=lambda _uuid: url_for(".plan_detail", plan_id=plan_id))


@bp.route("/<int:plan_id>/reviews/new", methods=["GET", "POST"])
@allow(EDUCATOR)
def review_new(plan_id):
    plan = plan_or_404(plan_id, write=True)
    goals = queries.goals(plan_id)
    form = ReviewForm()
    if not form.is_submitted():
        form.next_review_on.data = local_today() + timedelta(days=vocab.REVIEW_DAYS)
        audit("plan_read", target=plan["person_code"], detail={"plan": plan_id, "page": "review_form"})
        return render("plans/review_form.html", form=form, plan=plan, goals=goals, scores={}, score_errors={})
    scores, score_errors = {}, {}
    for goal in goals:
        raw = request.form.get(f"score-{goal['id']}", "")
        try:
            score = int(bounds.parse("gas_score", raw))
        except bounds.BoundError:
            score = None
        if score is None or score not in vocab.GAS_SCORES:
            score_errors[goal["id"]] = _("Score each goal from −2 to +2.")
        else:
            scores[goal["id"]] = score
    ok = form.validate() and not score_errors and bool(goals)
    if not goals:
        form.form_errors.append(_("Add at least one goal before reviewing the plan."))
    if form.reviewed_on.data and form.reviewed_on.data.isoformat() < plan["agreed_on"]:
        form.reviewed_on.errors.append(_("A review cannot be dated before the agreement."))
        ok = False
    if not ok:
        return render("plans/review_form.html", form=form, plan=plan, goals=goals, status=422,
                      scores={k: request.form.get(f"score-{k}") for k in (g["id"] for g in goals)},
                      score_errors=score_errors)
    next_on = form.next_review_on.data or form.reviewed_on.data + timedelta(days=vocab.REVIEW_DAYS)
    queries.create_review(plan_id, form.reviewed_on.data.isoformat(), form.note.data or None, next_on.isoformat(),
                          scores, current_user.id)
    attained = sum(1 for s in scores.values() if s >= 0)
    flash(ngettext("Review saved: %(num)d of %(total)d goals attained.",
                   "Review saved: %(num)d of %(total)d goals attained.", attained, total=len(scores)), "success")
    return redirect(url_for(".plan_detail", plan_id=plan_id), 303)


@bp.route("/<int:plan_id>/close", methods=["GET", "POST"])
@allow(EDUCATOR)
def plan_close(plan_id):
    plan = plan_or_404(plan_id, write=True)
    form = CloseForm()
    if not form.is_submitted():
        return render("plans/close_form.html", form=form, plan=plan)
    ok = form.validate()
    if ok and form.closed_on.data.isoformat() < plan["agreed_on"]:
        form.closed_on.errors.append(_("A plan cannot close before the agreement."))
        ok = False
    if not ok:
        return render("plans/close_form.html", form=form, plan=plan, status=422)
    queries.close_plan(plan_id, form.closed_on.data.isoformat(), form.reason.data)
    audit("plan_closed", target=plan["person_code"], detail={"plan": plan_id, "reason": form.reason.data})
    flash(_("Plan closed."), "success")
    return redirect(url_for(".plan_detail", plan_id=plan_id), 303)


@bp.get("/agenda")
@allow(*READERS)
def agenda():
    today = local_today()
    horizon = (today + timedelta(days=AGENDA_DAYS)).isoformat()
    active = queries.plans(mine(), status="active")
    audit("plan_agenda_read")
    return render("plans/agenda.html", due=[p for p in active if p["review_on"] <= horizon],
                  overdue_before=today.isoformat(), planned=queries.planned_sessions(mine(), today.isoformat()),
                  agenda_days=AGENDA_DAYS)


@bp.get("/indicators")
@allow(*READERS)
def indicators():
    today = local_today()
    since = date(today.year - 1, today.month, 1)
    scores = queries.latest_scores(mine())
    waits = sorted(queries.days_to_first_session(mine()))
    audit("plan_indicators_read")
    return render("plans/indicators.html", people=queries.people_in_plan(mine()),
                  months=queries.sessions_per_month(since.isoformat(), mine()),
                  scored=len(scores), attained=sum(1 for s in scores if s >= 0),
                  median_wait=waits[len(waits) // 2] if waits else None, plans_started=len(waits))


def household_flag(household):
    """The tutor's view of a household's plans: a flag, the next review, whom to ask. Nothing else."""
    active = queries.active_plans_of_household(household["id"])
    if not active:
        return None
    audit("plan_flag_read", target=household["code"])
    # Coordinators may open the plan; a tutor gets no handle on it at all, not even its id.
    reader = current_user.role == "coordinator"
    return {"plans": [{"review_on": p["review_on"], "educator_name": p["educator_name"],
                       "id": p["id"] if reader else None} for p in active]}


def offline_pages(user):
    """The educator's working set for a home visit without signal: their active plans and session forms."""
    urls = [url_for("plans.plan_list"), url_for("plans.agenda")]
    for plan in queries.plans(user.id, status="active"):
        urls += [url_for("plans.plan_detail", plan_id=plan["id"]), url_for("plans.session_new", plan_id=plan["id"])]
    return urls
