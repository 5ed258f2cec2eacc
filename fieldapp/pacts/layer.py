"""The pacts on the map (with the common-area reports near them) and the pact indicators."""
from datetime import date

from flask import current_app, make_response, render_template

from fieldapp import geo
from fieldapp.access import allow
from fieldapp.fields import local_today
from fieldapp.island import new_map, page_parts
from fieldapp.pacts import queries, vocab
from fieldapp.pacts.blueprint import READERS, bp, scope
from fieldapp.render import render, whole_document
from fieldapp.reports import api as report_api
from fieldapp.security import content_security_policy

# Labels are put in with textContent: a place name never becomes markup.
PACT_LABEL = """function (feature, layer) {
  var label = document.createElement("span");
  label.textContent = feature.properties.name + " · " + feature.properties.status;
  layer.bindTooltip(label, {permanent: true, direction: "top", className: "pact-label"});
}"""
REPORT_LABEL = """function (feature, layer) {
  var label = document.createElement("span");
  label.textContent = feature.properties.label;
  layer.bindTooltip(label);
}"""


def add_months(day, months):
    month = day.year * 12 + day.month - 1 + months
    return date(month // 12, month % 12 + 1, min(day.day, 28))


def reports_near(pact, metres=vocab.NEAR_METRES):
    """Reports within `metres` of the pact's place (box pre-filter, then the exact distance)."""
    return [r for r in queries.reports_in_box(*geo.box(pact["lat"], pact["lon"], metres))
            if geo.distance_m(pact["lat"], pact["lon"], r["lat"], r["lon"]) <= metres]


def point(lon, lat, **properties):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


def build_map(pacts):
    """The folium island: a layer of pacts, a layer of the reports near them; Leaflet from static/vendor."""
    import folium  # when a map is drawn, not when the app starts
    from folium.utilities import JsCode

    m = new_map("pacts", zoom=14, control_scale=True)
    near, seen = [], set()
    for pact in pacts:
        for r in reports_near(pact):
            # The same reports the user's map shows: a tutor's presidio (and their own) only.
            if r["uuid"] not in seen and report_api.can_see(r):
                seen.add(r["uuid"])
                near.append(point(r["lon"], r["lat"], label=f"{r['day']} · {r['category']}"))
    reports = folium.GeoJson({"type": "FeatureCollection", "features": near},
                             marker=folium.CircleMarker(radius=5, weight=1, color="#a61919", fill_color="#d9364f",
                                                        fill_opacity=0.8), on_each_feature=JsCode(REPORT_LABEL))
    reports._id = "near_reports"
    reports.add_to(m)
    layer = folium.GeoJson({"type": "FeatureCollection", "features": [
        point(p["lon"], p["lat"], id=p["id"], name=p["place_name"], status=str(vocab.STATUSES[p["status"]]))
        for p in pacts]}, marker=folium.CircleMarker(radius=10, weight=3, color="#006b3c", fill_color="#2e9e5b",
                                                      fill_opacity=0.9), on_each_feature=JsCode(PACT_LABEL))
    layer._id = "pact_places"
    layer.add_to(m)
    if pacts:
        m.fit_bounds([[min(p["lat"] for p in pacts) - 0.002, min(p["lon"] for p in pacts) - 0.002],
                      [max(p["lat"] for p in pacts) + 0.002, max(p["lon"] for p in pacts) + 0.002]])
    return page_parts(m, near=len(near))


@bp.get("/map")
@allow(*READERS)
@whole_document
def pact_map():
    pacts = [p for p in queries.pacts(scope()) if p["status"] not in vocab.ENDED]
    island = build_map(pacts)
    response = make_response(render_template("pacts/map.html", island=island, pacts=pacts))
    response.headers["Content-Security-Policy"] = content_security_policy(current_app, island["hashes"])
    return response


def reports_around_signing(pact):
    """(before, after): reports within 100 m in the 6 months before and after the pact was signed."""
    signed = date.fromisoformat(pact["signed_on"])
    start = add_months(signed, -vocab.WINDOW_MONTHS).isoformat()
    end = add_months(signed, vocab.WINDOW_MONTHS).isoformat()
    days = [r["day"] for r in reports_near(pact)]
    return (sum(1 for d in days if start <= d < pact["signed_on"]),
            sum(1 for d in days if pact["signed_on"] <= d < end))


@bp.get("/indicators")
@allow("community", "coordinator")
def indicators():
    today = local_today()
    since = add_months(date(today.year, today.month, 1), -11).isoformat()
    counts = queries.count_by_status()
    signed = [p for p in queries.pacts() if p["signed_on"]]
    around = [(p, *reports_around_signing(p)) for p in signed]
    return render("pacts/indicators.html", active=queries.in_force_count(today),
                  counts=counts, renewals=queries.renewals(), months=queries.hours_per_month(since), around=around,
                  today_iso=today.isoformat())
