"""Home visits: the phone form, the visit page and its edits, the household timeline, the agenda."""
from datetime import timedelta

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp.access import allow
from fieldapp.audit import audit
from fieldapp.auth.api import users_by_role
from fieldapp.fields import local_today
from fieldapp.fragments import Lazy, data_version
from fieldapp.paging import paginate
from fieldapp.records.forms import save_edit
from fieldapp.records.ingest import field_record, record_uuid
from fieldapp.redirects import next_or
from fieldapp.registry.api import ARREARS_BANDS, household_or_404, presidi, visible_presidio
from fieldapp.render import htmx, render
from fieldapp.reports import api as report_labels
from fieldapp.visits import queries, vocab
from fieldapp.visits.blueprint import VISIT_ROLES, bp, followup_or_404, visit_or_404
from fieldapp.visits.forms import VisitForm, form_data, stored_content

# Entries of the timeline shown on the household page; the rest is one link away.
PANEL_SIZE = 8
# How far ahead the agenda looks for follow-ups coming due.
AGENDA_DAYS = 14


@bp.context_processor
def visit_vocabularies():
    return {"vocab": vocab, "arrears_bands": ARREARS_BANDS, "today_iso": local_today().isoformat()}


def may_edit(record):
    """Authors change their own records; coordinators change any."""
    return current_user.role == "coordinator" or record["created_by"] == current_user.id


def assignees(household, followups=()):
    """Who a follow-up can go to: the tutors of the household's presidio (and whoever holds one now)."""
    people = users_by_role("tutor", household["presidio_code"])
    known = {p["id"] for p in people}
    people += [{"id": f["assignee_id"], "display_name": f["assignee_name"]}
               for f in followups if f["assignee_id"] not in known]
    return people


def default_assignee(household):
    return current_user.id if current_user.role == "tutor" else household["tutor_id"]


@bp.route("/households/<int:household_id>/visits/new", methods=["GET", "POST"])
@allow(*VISIT_ROLES)
def visit_new(household_id):
    household = household_or_404(household_id)
    form = VisitForm()
    form.prepare(household, assignees(household), default_assignee(household))
    if request.method == "GET":
        audit("visit_form_read", target=household["code"])
    if form.is_submitted():
        def refusal():
            if form.validate():
                return None
            form.uuid.data = visit_uuid
            return render("visits/visit_form.html", form=form, household=household, status=422,
                          action=url_for("visits.visit_new", household_id=household_id))

        def store(db, uuid, _fingerprint):
            queries.create_visit(uuid, content, current_user.id, form.client_created_at.data, db=db)
            flash(_("Visit to %(code)s saved.", code=household["code"]), "success")

        visit_uuid = record_uuid(form.uuid.data)
        content = form.content(household)
        return field_record("visits", visit_uuid, content, validate=refusal, store=store,
                            location=lambda uuid: url_for("visits.visit_detail", visit_uuid=uuid))
    return render("visits/visit_form.html", form=form, household=household,
                  action=url_for("visits.visit_new", household_id=household_id))


@bp.get("/visits/<visit_uuid>")
@allow(*VISIT_ROLES)
def visit_detail(visit_uuid):
    visit = visit_or_404(visit_uuid)
    audit("visit_read", target=visit["household_code"], detail={"visit": visit_uuid})
    return render("visits/visit.html", visit=visit, followups=queries.visit_followups(visit_uuid),
                  can_edit=may_edit(visit))


@bp.route("/visits/<visit_uuid>/edit", methods=["GET", "POST"])
@allow(*VISIT_ROLES)
def visit_edit(visit_uuid):
    visit = visit_or_404(visit_uuid)
    detail = url_for("visits.visit_detail", visit_uuid=visit_uuid)
    if not may_edit(visit):
        flash(_("Only the author of a visit or a coordinator can change it."), "warning")
        return redirect(detail, 303)
    household = household_or_404(visit["household_id"])
    followups = queries.visit_followups(visit_uuid)
    open_followups = [f for f in followups if f["status"] == "open"]
    if request.method == "GET":
        audit("visit_edit_read", target=visit["household_code"], detail={"visit": visit_uuid})
        form = VisitForm(data=form_data(visit, open_followups))
        if len(form.followups) < vocab.FOLLOWUPS_MAX:
            form.followups.append_entry()
    else:
        form = VisitForm()
    form.prepare(household, assignees(household, open_followups), default_assignee(household))
    status, conflict = 200, None
    if form.is_submitted():
        content = form.content(household)

        def save():
            if not queries.update_visit(visit_uuid, visit["version"], content, form.followup_rows(), current_user.id):
                return False
            audit("visit_edited", target=visit["household_code"], detail={"visit": visit_uuid})
            return True

        outcome, status, conflict = save_edit(
            form, visit, content, stored_content(visit, open_followups), lambda: _validate_edit(form, open_followups),
            save=save, reread=lambda: queries.visit(visit_uuid))
        if outcome == "saved":
            flash(_("Visit updated."), "success")
        if outcome:
            return redirect(detail, 303)
    if conflict:
        followups = queries.visit_followups(visit_uuid)
    return render("visits/visit_form.html", form=form, household=household, status=status, visit=visit,
                  conflict=conflict, conflict_followups=[f for f in followups if f["status"] == "open"],
                  closed_followups=[f for f in followups if f["status"] != "open"],
                  action=url_for("visits.visit_edit", visit_uuid=visit_uuid))


def _validate_edit(form, open_followups):
    ok = form.validate()
    known = {f["uuid"] for f in open_followups}
    for row in form.followups:
        if row.form.uuid.data and row.form.uuid.data not in known:
            row.form.action.errors.append(_("This follow-up is closed or belongs to another visit."))
            form.followups.errors = [r.errors for r in form.followups]
            ok = False
    return ok


def household_panel(household):
    """The household page's timeline section; reading it is logged (every time, cached or not)."""
    audit("visit_history_read", target=household["code"])
    # A cached fragment (fieldapp.fragments): versions first, then the entries only on a miss.
    versions = (data_version("registry"), data_version("timeline"))
    entries = Lazy(lambda: queries.timeline(household, PANEL_SIZE,
                                            zone=current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    # The household page belongs to the registry: this section brings its own vocabulary.
    return {"entries": Lazy(lambda: entries.value()[:PANEL_SIZE]),
            "more": Lazy(lambda: len(entries.value()) > PANEL_SIZE), "household": household, "versions": versions,
            "vocab": vocab, "today_iso": local_today().isoformat(), **report_vocab()}



def report_vocab():
    """Labels of the report codes the timeline shows."""
    return {"report_categories": report_labels.CATEGORIES, "report_areas": report_labels.AREAS,
            "report_statuses": report_labels.STATUSES, "reports_linked": True}


@bp.get("/households/<int:household_id>/timeline")
@allow(*VISIT_ROLES)
def household_timeline(household_id):
    household = household_or_404(household_id)
    audit("visit_history_read", target=household["code"])
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    page = paginate(lambda limit, offset: queries.timeline(household, limit, offset, zone=zone))
    return render("visits/timeline.html", household=household, page=page, rv=report_vocab())


def agenda_followups():
    """The agenda's filters and its open follow-ups: (presidio, mine, overdue, upcoming).

    A tutor starts on "only mine"; unticking it sends mine=0 (a hidden field before the box), so the
    choice stays in the query string.
    """
    today = local_today()
    codes = [p["code"] for p in presidi()]
    presidio = visible_presidio()
    presidio = presidio if presidio in codes else None
    chosen = request.args.getlist("mine")
    mine = current_user.role == "tutor" and (chosen[-1] == "1" if chosen else True)
    followups = queries.agenda_followups((today + timedelta(days=AGENDA_DAYS)).isoformat(), presidio,
                                         current_user.id if mine else None)
    overdue = [f for f in followups if f["due_on"] < today.isoformat()]
    upcoming = [f for f in followups if f["due_on"] >= today.isoformat()]
    return presidio, mine, overdue, upcoming


@bp.get("/agenda")
@allow(*VISIT_ROLES)
def agenda():
    today = local_today()
    presidio, mine, overdue, upcoming = agenda_followups()
    stale_days = int(current_app.config["VISIT_STALE_DAYS"])
    before = (today - timedelta(days=stale_days)).isoformat()
    tutor_id = current_user.id if mine else None
    page = paginate(queries.stale_households, before=before, presidio_code=presidio, tutor_id=tutor_id)
    audit("agenda_read", detail={"presidio": presidio, "mine": mine})
    return render(
        "visits/agenda.html", presidio=presidio, presidi=presidi(), mine=mine, overdue=overdue, upcoming=upcoming,
        page=page, stale_count=queries.count_stale_households(before, presidio, tutor_id),
        stale_days=stale_days, agenda_days=AGENDA_DAYS,
    )


@bp.get("/agenda/counts")
@allow(*VISIT_ROLES)
def agenda_counts():
    """The agenda's counters, swapped in place (out of band) after a follow-up is done or reopened."""
    _presidio, _mine, overdue, upcoming = agenda_followups()
    return render("visits/_agenda_counts.html", overdue_count=len(overdue), upcoming_count=len(upcoming))


@bp.post("/followups/<followup_uuid>/done")
@allow(*VISIT_ROLES)
def followup_done(followup_uuid):
    return _move_followup(followup_uuid, "open", "done")


@bp.post("/followups/<followup_uuid>/reopen")
@allow(*VISIT_ROLES)
def followup_reopen(followup_uuid):
    return _move_followup(followup_uuid, "done", "open")


def _move_followup(followup_uuid, from_status, to_status):
    """Mark done or reopen; a repeat is harmless, a cancelled follow-up cannot move."""
    followup = followup_or_404(followup_uuid)
    if followup["status"] == from_status:
        queries.set_followup_status(followup_uuid, from_status, to_status, current_user.id)
        followup = queries.followup(followup_uuid)
    if followup["status"] != to_status:
        abort(409)
    if htmx and not htmx.boosted:
        response = render("visits/_followup_row.html", f=followup)
        response.headers["HX-Trigger"] = "followups-changed"  # the agenda refreshes its counters
        return response
    flash(_("Follow-up marked as done.") if to_status == "done" else _("Follow-up reopened."), "success")
    return redirect(next_or(request.form.get("next"), url_for("visits.agenda")), 303)
