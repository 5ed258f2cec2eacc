"""Repayment plans: propose, sign, "why these instalments", and the plan document for signature."""
from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp import bounds
from fieldapp.access import allow
from fieldapp.arrears import documents, queries, rules
from fieldapp.arrears.blueprint import READERS, TEAM, bp, config_settings, household_or_404
from fieldapp.arrears.case import case_page, form_amount
from fieldapp.audit import audit
from fieldapp.clock import local_today
from fieldapp.render import render

PLAN_ERRORS = {
    "no_debt": lambda s: _("This household owes nothing in the latest ledger: there is no debt to plan."),
    "down_payment": lambda s: _("The down payment must be less than the debt."),
    "too_many": lambda s: _("Choose from 1 to %(max)s instalments.", max=s["max"]),
    "under_minimum": lambda s: _("Each instalment must be at least %(min)s EUR: choose fewer instalments.",
                                 min=s["min"] // 100),
    "does_not_add_up": lambda s: _("The instalments do not add up to the debt less the down payment."),
}


def plan_or_404(plan_id):
    plan = queries.plan(plan_id)
    if plan is None:
        abort(404)
    return plan


@bp.post("/households/<int:household_id>/plans")
@allow(*TEAM)
def plan_add(household_id):
    household = household_or_404(household_id)
    form, errors, settings = request.form, {}, config_settings()
    lines = queries.ledger_lines(household_id, 1)
    debt = lines[0]["balance"] if lines else 0
    try:
        down_payment = form_amount(form.get("down_payment")) or 0
    except bounds.BoundError as error:
        errors["down_payment"] = _("Down payment: %(problem)s. Enter it in euros, or leave it empty.",
                                   problem=error.problem)
        down_payment = 0
    try:
        amount = form_amount(form.get("instalment_amount"))
    except bounds.BoundError as error:
        errors["instalment_amount"] = _("Instalment: %(problem)s. Enter it in euros, or leave it empty to split "
                                        "evenly.", problem=error.problem)
        amount = None
    try:
        count = int(bounds.parse("instalments", form.get("instalments") or ""))
    except bounds.BoundError:
        errors["instalments"] = _("Enter the number of instalments as a whole number.")
    if not errors:
        start = rules.add_months(local_today().strftime("%Y-%m"), 1)
        try:
            schedule, why = rules.plan_schedule(debt, down_payment, count, amount, start, settings)
        except rules.PlanError as error:
            key = "plan" if str(error) == "no_debt" else (
                "instalment_amount" if str(error) == "does_not_add_up" else "instalments")
            errors[key] = PLAN_ERRORS[str(error)](settings)
    if errors:
        return case_page(household, 422, errors, form)
    plan_id = queries.create_plan(household_id, {
        "debt": debt, "down_payment": down_payment, "instalments": count, "start_period": start,
        "due_day": settings["due_day"], "grace_days": settings["grace_days"]}, schedule, why, current_user.id)
    flash(_("Repayment plan proposed. Print it for signature, then mark it signed."), "success")
    return redirect(url_for("arrears.plan_detail", plan_id=plan_id), 303)


@bp.get("/plans/<int:plan_id>")
@allow(*READERS)
def plan_detail(plan_id):
    plan = plan_or_404(plan_id)
    household = household_or_404(plan["household_id"])
    audit("arrears_plan_read", target=household["code"], detail={"plan": plan_id})
    return render("arrears/plan.html", plan=plan, household=household, instalments=queries.instalments(plan_id),
                  next_due=queries.next_due(plan), can_edit=current_user.role in TEAM)


@bp.post("/plans/<int:plan_id>/sign")
@allow(*TEAM)
def plan_sign(plan_id):
    plan = plan_or_404(plan_id)
    if plan["status"] != "proposed":
        flash(_("Only a proposed plan can be signed."), "warning")
    else:
        queries.activate_plan(plan, current_user.id, {
            "broken_after": current_app.config["ARREARS_PLAN_BROKEN_AFTER_MISSED"]})
        flash(_("Plan signed: the next ledger imports reconcile it."), "success")
    return redirect(url_for("arrears.plan_detail", plan_id=plan_id), 303)


@bp.get("/plans/<int:plan_id>/plan.pdf")
@allow(*READERS)
def plan_pdf(plan_id):
    plan = plan_or_404(plan_id)
    household = household_or_404(plan["household_id"])
    audit("arrears_plan_pdf", target=household["code"], detail={"plan": plan_id})
    body = documents.plan_pdf(plan, household, queries.instalments(plan_id))
    response = current_app.response_class(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="piano-rientro-{household["code"]}-{plan_id}.pdf"'
    return response
