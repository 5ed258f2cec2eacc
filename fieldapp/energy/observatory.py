"""The observatory's tables: building intensities per season, season against season, flats, arrears."""
from decimal import Decimal
from statistics import median

from fieldapp.energy import queries
from fieldapp.energy.metrics import change_split, intensity, modified_z, near_zero

PLACES = Decimal("0.01")


def buildings():
    """{building_code: {"address", "lat", "lon", "seasons": {code: figures}}} with the change splits."""
    out = {}
    for bill in queries.building_bills():
        b = out.setdefault(bill["building_code"], {"code": bill["building_code"], "address": bill["address"],
                                                    "lat": bill["lat"], "lon": bill["lon"], "seasons": {},
                                                    "splits": {}})
        mwh, area = Decimal(bill["mwh"]), Decimal(str(bill["area_m2"] or 0))
        degree_days = Decimal(bill["degree_days"]) if bill["degree_days"] else None
        figures = {"mwh": mwh, "eur_per_mwh": Decimal(bill["eur_per_mwh"]), "fixed_eur": Decimal(bill["fixed_eur"]),
                   "degree_days": degree_days, "area_m2": area or None}
        figures["cost"] = mwh * figures["eur_per_mwh"] + figures["fixed_eur"]
        if area:
            figures["kwh_m2"], figures["wh_m2_gg"], figures["normalised"] = intensity(mwh, area, degree_days)
        b["seasons"][bill["season"]] = figures
    for b in out.values():
        codes = list(b["seasons"])
        for before, after in zip(codes, codes[1:], strict=False):
            x, y = b["seasons"][before], b["seasons"][after]
            if x["degree_days"] and y["degree_days"]:
                split = change_split(x, y, x["degree_days"], y["degree_days"])
                b["splits"][after] = {"from": before, "total": y["cost"] - x["cost"], **split}
            if x.get("normalised") and y.get("normalised"):
                y["change_pct"] = (y["normalised"] / x["normalised"] - 1) * 100
    return out


def flats(season_code):
    """Each flat's use per m2 against its building: modified z-score, outlier and near-zero flags."""
    rows = [dict(r) for r in queries.flat_use(season_code) if r["area_m2"]]
    by_building = {}
    for row in rows:
        row["per_m2"] = Decimal(str(row["units"])) / Decimal(str(row["area_m2"]))
        by_building.setdefault(row["building_code"], []).append(row)
    for members in by_building.values():
        values = [r["per_m2"] for r in members]
        middle = median(values)
        low = set(near_zero(values))
        for i, (row, z) in enumerate(zip(members, modified_z(values), strict=True)):
            row["z"] = z
            row["relative"] = row["per_m2"] / middle if middle else None
            row["outlier"] = z is not None and abs(z) > Decimal("3.5")
            row["near_zero"] = i in low
    return rows


def arrears_cross(rows):
    """Per arrears band: flats, median use relative to the building, near-zero flats."""
    bands = {}
    for row in rows:
        bands.setdefault(row["arrears_band"] or "none", []).append(row)
    return {band: {"flats": len(members),
                   "median_relative": median([r["relative"] for r in members if r["relative"] is not None] or [0]),
                   "near_zero": sum(r["near_zero"] for r in members),
                   "outliers": sum(r["outlier"] for r in members)}
            for band, members in bands.items()}


def colour(value, low, high):
    """Green (low use) to red (high use) for the map layer."""
    if value is None or high == low:
        return "#888888"
    t = max(0.0, min(1.0, float((value - low) / (high - low))))
    return f"#{int(40 + 200 * t):02x}{int(170 - 120 * t):02x}40"


def coloured(buildings, season):
    """Set each building's `value` (normalised kWh/m2 in `season`) and its map `colour`; returns (low, high)."""
    values = [b["seasons"][season]["normalised"] for b in buildings
              if b["seasons"].get(season, {}).get("normalised") is not None]
    low, high = min(values, default=None), max(values, default=None)
    for b in buildings:
        b["value"] = b["seasons"].get(season, {}).get("normalised")
        b["colour"] = colour(b["value"], low, high)
    return low, high
