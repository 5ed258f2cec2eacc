"""Reading reports: the lists with their triage, bulk verification, the map layer, the building panel."""
import gzip
import hashlib

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from fieldapp.access import allow
from fieldapp.paging import paginate
from fieldapp.registry import api as registry
from fieldapp.render import render
from fieldapp.reports import filters, queries, triage, workflow
from fieldapp.reports.blueprint import FILERS, bp
from fieldapp.reports.vocab import AREAS, CATEGORIES, OPEN_STATUSES, STATUSES


def list_page(chosen, scope, mine, status=200, values=None, **context):
    """A list of reports with its counts per status; filtered to new ones, in triage order."""
    in_triage = triage.is_triage(chosen)
    rows = paginate(queries.search_reports, filters=chosen, scope=scope, triage=in_triage)
    counts = queries.count_by_status({**chosen, "statuses": []}, scope)
    return render("reports/list.html", "reports/_rows.html", status, page=rows, mine=mine, counts=counts,
                  triage=in_triage, can_verify=in_triage and not mine and current_user.role in workflow.WORKFLOW_ROLES,
                  values=values or filters.form_values(request.args), quartieri=[] if mine else registry.quartieri(),
                  presidi=[] if mine else registry.presidi(), **context)


@bp.get("/reports/")
@allow(*FILERS)
def report_list():
    return list_page(filters.from_args(request.args), filters.scope(), mine=False)


@bp.get("/reports/mine")
@allow(*FILERS)
def my_reports():
    return list_page({**filters.from_args(request.args), "created_by": current_user.id}, None, mine=True)


@bp.post("/reports/verify")
@allow(*workflow.WORKFLOW_ROLES)
def verify_many():
    """Verify the reports ticked in the triage list; each one that cannot be is named, and left as it was."""
    values = request.form.getlist("report")
    verified, refused = triage.verify_many(values, current_user) if values else ([], [])
    problems = [f"{who}: {why}" for who, why in refused]
    if not verified:
        message = _("Tick at least one report to verify.") if not values else _("No report was verified.")
        return list_page({"statuses": ["new"]}, filters.scope(), mine=False, status=422,
                         values={**filters.form_values(request.args), "statuses": ["new"]},
                         bulk_errors=[message, *problems])
    flash(ngettext("%(num)d report verified.", "%(num)d reports verified.", len(verified)), "success")
    if problems:
        flash(_("Not verified, left as they were: %(list)s", list="; ".join(problems)), "warning")
    return redirect(url_for(".report_list", status="new"), 303)


@bp.get("/reports.geojson")
@allow(*FILERS)
def geojson():
    """The reports layer of the map: lean features, gzipped; unchanged data answers 304 at once."""
    viewer = filters.scope()
    tag = hashlib.sha1(f"{queries.layer_version()}|{request.query_string!r}|{viewer}".encode()).hexdigest()
    if request.if_none_match.contains_weak(tag):
        response = current_app.response_class(status=304)
    else:
        body = queries.map_layer(filters.from_args(request.args), viewer).encode()
        response = current_app.response_class(body, mimetype="application/geo+json")
        if len(body) > 1024 and "gzip" in request.headers.get("Accept-Encoding", ""):
            response.set_data(gzip.compress(body, compresslevel=4))
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(tag, weak=True)  # weak: one tag for the raw and the gzipped body
    response.vary.add("Accept-Encoding")
    return response


def building_panel(building):
    """The building's open reports, and a button to file one there."""
    return {"building": building, "statuses": STATUSES, "categories": CATEGORIES, "areas": AREAS,
            "reports": queries.open_reports_for_building(building["id"], OPEN_STATUSES, filters.scope())}
