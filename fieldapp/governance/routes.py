"""Governance pages for coordinators: the programme dashboard, period close and the Region report."""
from flask import current_app, make_response, render_template, request

from fieldapp.access import allow
from fieldapp.clock import local_today
from fieldapp.db import get_db
from fieldapp.governance import dashboard as figures
from fieldapp.governance import map as building_map
from fieldapp.governance.blueprint import bp
from fieldapp.indicators import periods, registry
from fieldapp.registry import api as places
from fieldapp.render import whole_document
from fieldapp.security import content_security_policy


def chosen_period():
    """The period in ?period=, or the current month; a key that names no period falls back too."""
    try:
        return periods.parse(request.args.get("period", "")), True
    except periods.PeriodError:
        return periods.of_day("month", local_today()), not request.args.get("period")


@bp.get("/governance/")
@allow("coordinator")
@whole_document
def dashboard():
    db = get_db()
    figures.synced(db)
    period, known = chosen_period()
    before = figures.year_before(period)
    presidi = places.presidi()
    scope_code = request.args.get("presidio") if request.args.get("presidio") in {p["code"] for p in presidi} else None
    scope = [scope_code] if scope_code else None
    tiles = figures.tiles(db, period, before, scope, scope_code)
    lock = figures.mark_changed_after_close(db, period, tiles, scope_code)
    by_code = {t["indicator"].code: t["indicator"] for t in tiles}
    chosen = by_code.get(request.args.get("indicator")) or next(
        (t["indicator"] for t in tiles if t["indicator"].disaggregations), None)
    by, rows, island = None, [], None
    if chosen is not None and chosen.disaggregations:
        by = request.args.get("by") if request.args.get("by") in chosen.disaggregations else (
            "quartiere" if "quartiere" in chosen.disaggregations else chosen.disaggregations[0])
        rows = figures.breakdown(chosen, by, period, before, scope, scope_code)
        values = figures.building_values(chosen, period, scope)
        if values is not None:
            island = building_map.build(places.all_buildings(), values,
                                        lambda v: figures.formatted(v, chosen.unit))
    response = make_response(render_template(
        "governance/dashboard.html", period=period, before=before, known=known,
        period_label=figures.period_label(period),
        before_label=figures.period_label(before) if before else None,
        choices=figures.period_choices(local_today()), tiles=tiles, chosen=chosen, by=by, rows=rows,
        island=island, presidi=presidi, scope_code=scope_code, lock=lock,
        changed=[t for t in tiles if "at_close" in t],
        disaggregations=registry.DISAGGREGATIONS, services=registry.SERVICE_LABELS))
    response.vary.add("HX-Request")
    response.headers["Content-Security-Policy"] = content_security_policy(
        current_app, island["hashes"] if island else ())
    return response


