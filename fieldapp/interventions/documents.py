"""What interventions produce for others: the tenant notice, the map layer, exports and indicators."""
import json
import statistics
from datetime import date, timedelta

from flask import current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp import sheets
from fieldapp.access import allow
from fieldapp.audit import audit
from fieldapp.clock import utc_start_of
from fieldapp.fields import iso_day
from fieldapp.interventions import analysis, export, notice, queries
from fieldapp.interventions.blueprint import OFFICE, READERS, bp, intervention_or_404, scope
from fieldapp.interventions.forms import local_today
from fieldapp.interventions.planning import is_overdue
from fieldapp.interventions.vocab import KINDS, OPEN_STATUSES, STATUSES
from fieldapp.registry import api as registry
from fieldapp.render import render, whole_document
from fieldapp.reports import api as report_api
from fieldapp.reports.api import build_map, map_labels
from fieldapp.security import content_security_policy

# --- the notice ------------------------------------------------------------------------

@bp.get("/interventions/<int:intervention_id>/notice")
@allow(*READERS)
def notice_page(intervention_id):
    intervention = intervention_or_404(intervention_id)
    return render("interventions/notice.html", intervention=intervention, notices=notices_of(intervention))


def notices_of(intervention):
    """One sheet per building (and scala) the intervention touches."""
    return notice.sheets(intervention, queries.linked_reports(intervention["id"]),
                         queries.buildings_touched(intervention["id"]))


@bp.get("/interventions/<int:intervention_id>/notice.pdf")
@allow(*READERS)
def notice_pdf(intervention_id):
    intervention = intervention_or_404(intervention_id)
    body = notice.pdf(notices_of(intervention))
    response = current_app.response_class(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="avviso-intervento-{intervention["id"]}.pdf"'
    return response


# --- the map layer ---------------------------------------------------------------------

@bp.get("/interventions.geojson")
@allow(*READERS)
def geojson():
    """Planned interventions (open ones unless ?status= says otherwise) as points on their buildings."""
    status = request.args.getlist("status")
    statuses = [s for s in status if s in STATUSES] or list(OPEN_STATUSES)
    today = local_today().isoformat()
    features = [
        {"type": "Feature",
         "geometry": {"type": "Point", "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]},
         "properties": {
             "id": row["id"], "kind": row["kind"], "kind_label": str(KINDS.get(row["kind"], row["kind"])),
             "status": row["status"], "status_label": str(STATUSES[row["status"]]),
             "day": row["scheduled_on"], "from": row["time_from"], "to": row["time_to"],
             "address": row["address"], "contractor": row["contractor_name"], "reports": row["report_count"],
             "overdue": is_overdue(row, today),
             "url": url_for(".intervention_detail", intervention_id=row["id"]),
         }}
        for row in queries.map_features(scope(), {"statuses": statuses})
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    return current_app.response_class(body, mimetype="application/geo+json")


# --- export ----------------------------------------------------------------------------

def period(args, default_days=None):
    """(first, last) local days from ?from=&to=; by default the current calendar year."""
    def day(value):
        return iso_day(value)

    today = local_today()
    if default_days:
        first, last = today - timedelta(days=default_days), today
    else:
        first, last = date(today.year, 1, 1), date(today.year, 12, 31)
    first, last = day(args.get("from")) or first, day(args.get("to")) or last
    return (first, last) if first <= last else (last, first)


def export_table():
    first, last = period(request.args)
    rows, totals = export.table(queries.export_rows(first.isoformat(), last.isoformat()))
    return first, last, rows, totals


def download(body, name, first, last, rows):
    audit("export", target=name, detail={"from": first.isoformat(), "to": last.isoformat(), "rows": len(rows)})
    return sheets.download(body, name.rsplit(".", 1)[1], f"interventi_{first}_{last}")


@bp.get("/interventions/export.csv")
@allow(*OFFICE)
def export_csv():
    first, last, rows, totals = export_table()
    return download(export.to_csv(rows, totals), "interventions.csv", first, last, rows)


@bp.get("/interventions/export.xlsx")
@allow(*OFFICE)
def export_xlsx():
    first, last, rows, totals = export_table()
    body = export.to_xlsx(rows, totals, _("Interventions"))
    return download(body, "interventions.xlsx", first, last, rows)


# --- indicators ------------------------------------------------------------------------

def summary(days):
    if not days:
        return None
    return {"count": len(days), "mean": round(statistics.fmean(days), 1),
            "median": round(statistics.median(days), 1), "max": round(max(days), 1)}


@bp.get("/interventions/indicators")
@allow(*OFFICE)
def indicators():
    first, last = period(request.args, default_days=365)
    since, until = utc_start_of(first), utc_start_of(last + timedelta(days=1))
    resolved = analysis.resolution_days(since, until)
    by_quartiere = {}
    for row in resolved:
        by_quartiere.setdefault(row["quartiere_name"], []).append(row["days"])
    costs = analysis.cost_per_building(since, until)
    return render(
        "interventions/indicators.html", first=first, last=last,
        resolution=summary([r["days"] for r in resolved]),
        resolution_by_quartiere=sorted(((name, summary(days)) for name, days in by_quartiere.items()),
                                       key=lambda item: -item[1]["mean"]),
        recurrence=analysis.recurrence(since=since), costs=costs,
        total_cents=sum(c["actual_cents"] or 0 for c in costs), user=current_user,
    )


# --- the planning map ------------------------------------------------------------------

@bp.get("/interventions/map")
@allow(*OFFICE)
@whole_document
def map_page():
    """The maps area's map (buildings, verified reports), with the open interventions on top.

    The base map comes from fieldapp.reports.mapping.build_map; static/js/interventions.js adds the
    interventions layer from /interventions.geojson when Leaflet makes the map.
    """
    island = build_map(registry.all_buildings())
    waiting = {}
    for report in report_api.search_reports(limit=1000, filters={"statuses": ["verified"]}):
        entry = waiting.setdefault(report["building_id"], {"building_id": report["building_id"],
                                                           "address": report["address"], "count": 0})
        entry["count"] += 1
    response = make_response(render_template(
        "interventions/map.html", island=island, labels=map_labels(),
        intervention_labels={"open": _("Open the intervention"), "overdue": _("Late"),
                             "reports": _("Linked reports"),
                             "error": _("The interventions could not be loaded.")},
        interventions=queries.search_interventions(limit=500, filters={"statuses": list(OPEN_STATUSES)})[:500],
        waiting=sorted(waiting.values(), key=lambda w: (-w["count"], w["address"])),
        can_plan=current_user.role == "operator", today=local_today().isoformat()))
    response.headers["Content-Security-Policy"] = content_security_policy(current_app, island["hashes"])
    response.vary.add("HX-Request")
    return response
