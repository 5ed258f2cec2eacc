"""Meetings: the form, list and detail pages, edits, and the participation summary per context."""
from datetime import date

from flask import flash, redirect, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp.access import allow
from fieldapp.fields import iso_day, local_today, whole_number
from fieldapp.meetings import queries, vocab
from fieldapp.meetings.blueprint import MEETING_ROLES, bp, meeting_or_404
from fieldapp.meetings.forms import MeetingForm, form_data, stored_content
from fieldapp.paging import paginate
from fieldapp.records.forms import save_edit
from fieldapp.records.ingest import field_record, record_uuid
from fieldapp.registry.api import all_buildings, quartieri
from fieldapp.render import render

TREND_MONTHS = 12


@bp.context_processor
def meeting_vocabularies():
    return {"vocab": vocab, "today_iso": local_today().isoformat()}


def may_edit(meeting):
    """Authors change their own meetings; coordinators change any."""
    return current_user.role == "coordinator" or meeting["created_by"] == current_user.id


def context_filter(key):
    """A context key ('borgo_loreto', 'building', 'building:12', 'quartiere:5'...) as query filters."""
    if key in vocab.CONTEXTS:
        return {"context": key}
    kind, _sep, number = (key or "").partition(":")
    if kind in ("building", "quartiere") and whole_number(number) is not None:
        return {"context": kind, f"{kind}_id": whole_number(number)}
    return {}


def context_key(row):
    if row["context"] == "building" and row["building_id"]:
        return f"building:{row['building_id']}"
    if row["context"] == "quartiere" and row["quartiere_id"]:
        return f"quartiere:{row['quartiere_id']}"
    return row["context"]


def context_options():
    """What a filter can pick: the pilot areas and all others, then each building or quartiere in use."""
    places = [(context_key(row), row["building_address"] if row["context"] == "building" else row["quartiere_name"])
              for row in queries.contexts_in_use()]
    return {"main": list(vocab.CONTEXTS.items()), "places": places}


def period():
    """The ?from=&to= dates of a list or summary, ignoring anything that is not a date."""
    dates = []
    for name in ("from", "to"):
        day = iso_day(request.args.get(name, ""))
        dates.append(day.isoformat() if day else None)
    return dates


def month_start(day, months_back):
    month = day.year * 12 + day.month - 1 - months_back
    return date(month // 12, month % 12 + 1, 1)


def form_choices(form):
    form.prepare(all_buildings(), quartieri())
    return form


@bp.get("/")
@allow(*MEETING_ROLES)
def meeting_list():
    key = request.args.get("context", "")
    filters = context_filter(key)
    since, until = period()
    page = paginate(queries.search_meetings, since=since, until=until, **filters)
    today = local_today()
    this_month = queries.totals(since=month_start(today, 0).isoformat(), until=today.isoformat(), **filters)
    return render("meetings/meetings.html", "meetings/_meeting_rows.html", page=page, key=key if filters else "",
                  since=since, until=until, options=context_options(), this_month=this_month)


@bp.route("/new", methods=["GET", "POST"])
@allow(*MEETING_ROLES)
def meeting_new():
    form = form_choices(MeetingForm())
    if form.is_submitted():
        def refusal():
            if form.validate():
                return None
            form.uuid.data = meeting_uuid
            return render("meetings/meeting_form.html", form=form, status=422,
                          action=url_for("meetings.meeting_new"))

        def store(db, uuid, _fingerprint):
            queries.create_meeting(uuid, content, current_user.id, form.client_created_at.data, db=db)
            flash(_("Meeting saved."), "success")

        meeting_uuid = record_uuid(form.uuid.data)
        content = form.content()
        return field_record("meetings", meeting_uuid, content, validate=refusal, store=store,
                            location=lambda uuid: url_for("meetings.meeting_detail", meeting_uuid=uuid))
    return render("meetings/meeting_form.html", form=form, action=url_for("meetings.meeting_new"))


@bp.get("/summary")
@allow(*MEETING_ROLES)
def meeting_summary():
    key = request.args.get("context", "")
    filters = context_filter(key)
    today = local_today()
    since, until = period()
    since = since or month_start(today, TREND_MONTHS - 1).isoformat()
    until = until or today.isoformat()
    counts = {row["month"]: row for row in queries.monthly(since=since, until=until, **filters)}
    months = sorted({*counts, *_months_between(since, until)})
    trend = [{"meetings": 0, "participants": 0, **counts.get(m, {}), "month": m,
              "label": format_date(date.fromisoformat(f"{m}-01"), "MMM y")} for m in months]
    return render(
        "meetings/summary.html", key=key if filters else "", options=context_options(), since=since, until=until,
        totals=queries.totals(since=since, until=until, **filters), trend=trend,
        most_participants=max([row["participants"] or 0 for row in trend] + [1]),
        contexts=[] if filters else queries.by_context(since, until), context_key=context_key,
        kinds=queries.kinds(since=since, until=until, **filters),
        topics=queries.counts_of("topics", since=since, until=until, **filters),
        outcomes=queries.counts_of("outcomes", since=since, until=until, **filters),
    )


def _months_between(since, until):
    start, end = date.fromisoformat(since), date.fromisoformat(until)
    months, current = [], date(start.year, start.month, 1)
    while current <= end and len(months) < 120:
        months.append(current.strftime("%Y-%m"))
        current = month_start(current, -1)
    return months


@bp.get("/<meeting_uuid>")
@allow(*MEETING_ROLES)
def meeting_detail(meeting_uuid):
    meeting = meeting_or_404(meeting_uuid)
    return render("meetings/meeting.html", meeting=meeting, steps=queries.steps(meeting_uuid),
                  can_edit=may_edit(meeting), key=context_key(meeting))


@bp.route("/<meeting_uuid>/edit", methods=["GET", "POST"])
@allow(*MEETING_ROLES)
def meeting_edit(meeting_uuid):
    meeting = meeting_or_404(meeting_uuid)
    detail = url_for("meetings.meeting_detail", meeting_uuid=meeting_uuid)
    if not may_edit(meeting):
        flash(_("Only the author of a meeting or a coordinator can change it."), "warning")
        return redirect(detail, 303)
    steps = queries.steps(meeting_uuid)
    if request.method == "GET":
        form = MeetingForm(data=form_data(meeting, steps))
        if len(form.steps) < vocab.STEPS_MAX:
            form.steps.append_entry()
    else:
        form = MeetingForm()
    form_choices(form)
    status, conflict = 200, None
    if form.is_submitted():
        content = form.content()
        outcome, status, conflict = save_edit(
            form, meeting, content, stored_content(meeting, steps), form.validate,
            save=lambda: queries.update_meeting(meeting_uuid, meeting["version"], content, current_user.id),
            reread=lambda: queries.meeting(meeting_uuid))
        if outcome == "saved":
            flash(_("Meeting updated."), "success")
        if outcome:
            return redirect(detail, 303)
    return render("meetings/meeting_form.html", form=form, status=status, meeting=meeting, conflict=conflict,
                  conflict_steps=queries.steps(meeting_uuid) if conflict else [],
                  action=url_for("meetings.meeting_edit", meeting_uuid=meeting_uuid))
