"""Where a report is: distances, search boxes, and which position wins."""
import math

from fieldapp import bounds

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def box(lat, lon, metres):
    """(min_lat, max_lat, min_lon, max_lon) around a point: a cheap SQL pre-filter for a radius."""
    dlat = math.degrees(metres / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _figure(bound, value):
    """A float within `bound`, from a form's text (through fieldapp.bounds) or a photo's EXIF float; else None."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        if not math.isfinite(value):
            return None
        value = repr(float(value))
    if not isinstance(value, str):
        return None
    try:
        return float(bounds.parse(bound, value))
    except bounds.BoundError:
        return None


def point(lat, lon):
    """(lat, lon) as floats when both make a plausible position, else None."""
    lat, lon = _figure("latitude", lat), _figure("longitude", lon)
    if lat is None or lon is None:
        return None
    if lat == 0 and lon == 0:  # a GPS without a fix
        return None
    return lat, lon


def accuracy(value):
    """Accuracy in metres as the browser reports it, or None."""
    metres = _figure("accuracy_m", value)
    return None if metres is None else round(metres, 1)


def locate(building, device=None, device_accuracy=None, photo_positions=(), far_metres=150):
    """The report's position: the phone's, else the first photo's EXIF GPS, else the building's.

    A position far from the building is kept, and flagged for the operator.
    """
    if device:
        (lat, lon), source, metres = device, "device", device_accuracy
    elif any(photo_positions):
        (lat, lon), source, metres = next(p for p in photo_positions if p), "photo", None
    else:
        (lat, lon), source, metres = (building["lat"], building["lon"]), "building", None
    distance = distance_m(lat, lon, building["lat"], building["lon"])
    return {
        "lat": round(lat, 7), "lon": round(lon, 7), "location_source": source,
        "location_accuracy": metres, "distance_m": round(distance, 1),
        "far": int(distance > far_metres),
    }


def nearest_building(lat, lon, buildings):
    """The building nearest to a point."""
    return min(buildings, key=lambda b: distance_m(lat, lon, b["lat"], b["lon"]))
