"""The observatory's arithmetic: intensities normalised by weather, outliers, and the change split.

Modified z-scores come from the base (`fieldapp.spread`), which the heating checks share.
"""
from decimal import Decimal
from statistics import median

from fieldapp.spread import Z_LIMIT, modified_z, outliers

STANDARD_DEGREE_DAYS = Decimal(2389)  # Cremona, climate zone E (DPR 412/1993)
__all__ = ["STANDARD_DEGREE_DAYS", "Z_LIMIT", "NEAR_ZERO", "intensity", "modified_z", "outliers", "near_zero",
           "change_split"]
NEAR_ZERO = Decimal("0.15")  # below 15% of the building's median use per m2: possible under-heating


def intensity(mwh, area_m2, degree_days):
    """(kWh/m2, Wh/m2 per degree-day, kWh/m2 normalised to the standard 2,389 GG)."""
    kwh_m2 = mwh * 1000 / area_m2
    wh_m2_gg = mwh * 1_000_000 / area_m2 / degree_days if degree_days else None
    normalised = wh_m2_gg * STANDARD_DEGREE_DAYS / 1000 if wh_m2_gg is not None else None
    return kwh_m2, wh_m2_gg, normalised


def near_zero(values):
    """Indexes of the values under 15% of the median: possible under-heating, not thrift."""
    if not values:
        return []
    middle = median(values)
    return [i for i, v in enumerate(values) if middle > 0 and v < middle * NEAR_ZERO]


def change_split(before, after, degree_days_before, degree_days_after):
    """A building's cost change split into price, weather, volume and fixed parts that add up to it.

    price = (p1 - p0) x MWh0; weather = p1 x MWh0 x (GG1/GG0 - 1); volume = p1 x (MWh1 - MWh0 x GG1/GG0);
    fixed = F1 - F0. `before`/`after` are dicts of Decimals: mwh, eur_per_mwh, fixed_eur.
    """
    expected = before["mwh"] * degree_days_after / degree_days_before
    return {
        "price": (after["eur_per_mwh"] - before["eur_per_mwh"]) * before["mwh"],
        "weather": after["eur_per_mwh"] * (expected - before["mwh"]),
        "volume": after["eur_per_mwh"] * (after["mwh"] - expected),
        "fixed": after["fixed_eur"] - before["fixed_eur"],
    }
