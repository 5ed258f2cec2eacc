"""Cases to check: why a contribution waits for a person, and how the equipe settles it.

A settlement is a decision with a note (pay pro rata by days, pay as computed on the estimate, hold
until an actual reading, exclude). It is stored apart (`heating_settlements`) and is an input of the
contribution: every later version carries it while the case is the same, and "why this amount" shows it.
"""
from decimal import Decimal
from statistics import median

from fieldapp.spread import outliers

# Reasons a person can settle with a decision; the others need their data fixed (a bill, an ISEE).
SETTLEABLE = ("not_in_registry", "moved", "no_reference", "no_reference_days", "estimated", "zero_units",
              "units_outlier")
DECISIONS = ("pro_rata", "estimate", "hold", "exclude")
MATERIAL = Decimal("0.5")  # how far from the building's median an outlier must also be
# A contribution the equipe may still settle (or settle again): nothing approved yet.
OPEN = ("to_check", "computed", "reviewed", "rejected")


def check(inputs, household, data, season, length, far):
    """(status, reason) before the arithmetic: who is eligible, what is missing, what looks wrong."""
    current, previous = inputs["current"], inputs["previous"]
    if household is None:
        return "to_check", "not_in_registry"
    if not household["heating_eligible"]:
        return "rejected", "not_eligible"
    if current["bill"] is None:
        return "to_check", "no_bill"
    ceiling = season["isee_ceiling_cents"]
    if ceiling is not None:
        if data is None or data["isee_cents"] is None:
            return "to_check", "no_isee"
        if data["isee_cents"] > ceiling:
            return "rejected", "isee_over_ceiling"
    if current["days"] < length:
        return "to_check", "moved"
    if previous is None or previous["bill"] is None:
        return "to_check", "no_reference"
    if not previous["days"]:
        return "to_check", "no_reference_days"
    if current["estimated"]:
        return "to_check", "estimated"
    if Decimal(current["units"]) == 0:
        return "to_check", "zero_units"
    if far:
        return "to_check", "units_outlier"
    return "computed", None


def far_from_building(rows):
    """Reading ids whose units per m2 and day of occupation are far from their building's: an outlier by
    modified z-score (over 3.5) that is also at least half the building's median away from it (in a
    building of near-identical flats the z-score alone flags a few percent)."""
    groups = {}
    for row in rows:
        if row["days_occupied"] and row["area_m2"] and Decimal(row["units"]):
            value = Decimal(row["units"]) / Decimal(str(row["area_m2"])) / row["days_occupied"]
            groups.setdefault(row["building_id"], []).append((row["id"], value))
    far = set()
    for members in groups.values():
        middle = median(v for _id, v in members)
        far.update(members[i][0] for i in outliers([v for _id, v in members])
                   if abs(members[i][1] - middle) >= middle * MATERIAL)
    return far


def pro_rata_ready(inputs):
    """The flat's own contribution for the whole season can be computed: its bills and reference."""
    flat = inputs.get("flat") or {}
    previous = flat.get("previous")
    return bool(flat.get("current", {}).get("bill") and previous and previous["bill"] and previous["days"])


def as_computed_ready(inputs):
    previous = inputs["previous"]
    return bool(inputs["current"]["bill"] and previous and previous["bill"] and previous["days"])


def apply(inputs, settlement, status, reason):
    """(status, reason) once the equipe's decision on this case is applied; the decision joins the inputs."""
    if settlement is None or settlement["reason"] != inputs.get("case"):
        return status, reason  # undecided, or decided for a case that is no longer this one
    inputs["settlement"] = {k: settlement[k] for k in ("decision", "note", "reason", "decided_at", "decided_by")}
    decision = settlement["decision"]
    if decision == "exclude":
        return "rejected", "excluded"
    if decision == "pro_rata" and pro_rata_ready(inputs) or decision == "estimate" and as_computed_ready(inputs):
        return "computed", None
    return "to_check", inputs["case"]  # held, or the decision cannot be applied to these inputs
