"""The map: an island built by folium in one function; the page around it stays plain HTML.

Leaflet and its plugins come from static/vendor (no CDN). folium writes inline scripts, so the map
page carries its own Content-Security-Policy listing their sha256; styles folium would inline are in
static/css/reports.css instead. The reports layer is filled in the browser from /reports.geojson by
static/js/map.js, which refetches it when the filter form (htmx) reports new filters.
"""
from flask import current_app, make_response, render_template, request, url_for

from fieldapp.access import allow
from fieldapp.maps.blueprint import bp
from fieldapp.registry import api as registry
from fieldapp.render import htmx, whole_document
from fieldapp.reports import api as reports
from fieldapp.security import content_security_policy


@bp.get("/map")
@allow(*reports.FILERS)
@whole_document
def map_page():
    chosen = reports.from_args(request.args)
    counts = reports.count_by_status(chosen, reports.scope())
    if htmx and not htmx.history_restore_request:
        # The filters changed: new counts here, and an event for map.js to refetch the layer.
        response = make_response(render_template("maps/_summary.html", counts=counts, statuses=reports.STATUSES))
        response.headers["HX-Trigger"] = "reports-filtered"
        response.vary.add("HX-Request")
        return response
    island = reports.build_map(registry.all_buildings())
    response = make_response(render_template(
        "maps/map.html", island=island, counts=counts,
        geojson_url=url_for("reports.geojson", **request.args.to_dict(flat=False)), labels=reports.map_labels(),
        values=reports.form_values(request.args), statuses=reports.STATUSES, categories=reports.CATEGORIES,
        quartieri=registry.quartieri(), presidi=registry.presidi()))
    response.vary.add("HX-Request")
    response.headers["Content-Security-Policy"] = content_security_policy(current_app, island["hashes"])
    return response
