"""Which reports look like the same problem: offered on the phone form, and to the operator."""
from datetime import timedelta

from flask import current_app

from fieldapp import clock, geo
from fieldapp.reports import filters, queries
from fieldapp.reports.vocab import OPEN_STATUSES

SAME_PLACE_DAYS = 30
NEARBY_METRES = 50


def hint(building_id, area, category, position):
    """Open reports of the category: same building and area in the last 30 days, or within 50 m."""
    if not category or not ((building_id and area) or position):
        return []
    since = (clock.utc_now() - timedelta(days=SAME_PLACE_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
    box = geo.box(*position, NEARBY_METRES) if position else None
    rows = queries.nearby_or_same_place(category, building_id, area, since, box, OPEN_STATUSES, filters.scope())
    return [r for r in rows if (r["building_id"] == building_id and r["area"] == area)
            or (position and geo.distance_m(*position, r["lat"], r["lon"]) <= NEARBY_METRES)][:3]


def originals(report):
    """What the operator may mark this report a duplicate of: reports in its building or nearby."""
    metres = max(NEARBY_METRES * 4, current_app.config["REPORT_FAR_METRES"])
    return queries.duplicate_targets(report, geo.box(report["lat"], report["lon"], metres))
