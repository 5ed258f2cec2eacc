"""The energy observatory: consumption normalised by weather, per building, season and flat."""
import time
from decimal import Decimal

from flask import abort, current_app, jsonify, make_response, render_template, request

from fieldapp.access import allow
from fieldapp.energy import observatory, queries
from fieldapp.energy.blueprint import READERS, bp
from fieldapp.energy.mapping import build_map
from fieldapp.energy.metrics import STANDARD_DEGREE_DAYS
from fieldapp.registry.api import ARREARS_BANDS
from fieldapp.render import render, whole_document
from fieldapp.security import content_security_policy


@bp.get("/")
@allow(*READERS)
def observatory_page():
    started = time.perf_counter()
    seasons, season = _season_asked()
    buildings = observatory.buildings()
    flats = observatory.flats(season)
    low, high = observatory.coloured(buildings.values(), season)
    top = high or Decimal(1)
    top_all = max((f["normalised"] for b in buildings.values() for f in b["seasons"].values()
                   if f.get("normalised") is not None), default=Decimal(1))
    return render("energy/observatory.html", seasons=seasons, season=season, buildings=buildings, top=top,
                  flats=flats, outliers=[f for f in flats if f["outlier"]],
                  near_zero=[f for f in flats if f["near_zero"]], cross=observatory.arrears_cross(flats),
                  bands=ARREARS_BANDS, top_all=top_all, standard=STANDARD_DEGREE_DAYS, mapbox=_box(buildings.values()),
                  low=low, high=high, elapsed=time.perf_counter() - started)


def _box(buildings):
    lats = [b["lat"] for b in buildings] or [0]
    lons = [b["lon"] for b in buildings] or [0]
    return {"lat0": min(lats) - 0.002, "lat1": max(lats) + 0.002, "lon0": min(lons) - 0.003, "lon1": max(lons) + 0.003}


def _season_asked():
    """The seasons and the one asked for (?season=, else the latest); an unknown season is a 404."""
    seasons = [s["code"] for s in queries.seasons()]
    season = request.args.get("season") or seasons[-1]
    if season not in seasons:
        abort(404)
    return seasons, season


def _coloured_season():
    """The seasons, the one asked for, and its buildings coloured by normalised use."""
    seasons, season = _season_asked()
    buildings = list(observatory.buildings().values())
    observatory.coloured(buildings, season)
    return seasons, season, buildings


@bp.get("/buildings.geojson")
@allow(*READERS)
def buildings_geojson():
    """The map layer: district-heated buildings with their normalised use and its colour."""
    _seasons, season, buildings = _coloured_season()
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [b["lon"], b["lat"]]},
                 "properties": {"building_code": b["code"], "season": season, "colour": b["colour"],
                                "kwh_m2_normalised": None if b["value"] is None else float(round(b["value"], 1))}}
                for b in buildings]
    return jsonify({"type": "FeatureCollection", "features": features})


@bp.get("/map")
@allow(*READERS)
@whole_document
def map_page():
    """The buildings on the map, coloured from green (lowest) to red (highest normalised use)."""
    seasons, season, buildings = _coloured_season()
    island = build_map(buildings, lambda b: "—" if b["value"] is None else f"{b['value']:.1f} kWh/m²")
    response = make_response(render_template("energy/map.html", island=island, buildings=buildings,
                                             season=season, seasons=seasons, standard=STANDARD_DEGREE_DAYS))
    response.headers["Content-Security-Policy"] = content_security_policy(current_app, island["hashes"])
    return response
