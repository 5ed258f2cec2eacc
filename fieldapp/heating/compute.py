"""Compute a season's contributions into a new version: inputs gathered per household, then the rule.

`evaluate(inputs)` is the only arithmetic: it is run when computing and again by the "why this amount"
page and the tests, from the stored inputs alone, so every stored euro can be reproduced. A case to
check that the equipe settled (`fieldapp.heating.cases`) carries its decision in the inputs.
"""
import json
from decimal import Decimal

from flask_babel import gettext as _

from fieldapp.db import get_db, now
from fieldapp.heating import cases, queries
from fieldapp.heating.rules import RULES, allowed_units, building_cost, cents, contribution, flat_cost


class ComputeError(Exception):
    """The season cannot be computed; the message says why (nothing is written)."""


def season_shares(season_code, with_share=True):
    """Each reading of the season with its building's bill and the numbers of its share, as text."""
    bills = queries.bills(season_code)
    rows = queries.readings(season_code)
    totals, flats = {}, {}
    for row in rows:
        building = totals.setdefault(row["building_id"], {"millesimi": {}, "units": Decimal(0)})
        building["millesimi"][row["unit_id"]] = Decimal(row["millesimi"])
        building["units"] += Decimal(row["units"])
        flat = flats.setdefault(row["unit_id"], {"days": 0, "units": Decimal(0), "estimated": 0})
        flat["days"] += row["days_occupied"]
        flat["units"] += Decimal(row["units"])
        flat["estimated"] |= row["estimated"]
    out = []
    for row in rows:
        bill = bills.get(row["building_id"])
        building, whole = totals[row["building_id"]], flats[row["unit_id"]]
        inputs = {
            "building_code": row["building_code"], "scala": row["scala"], "interno": row["interno"],
            "millesimi": row["millesimi"], "total_millesimi": str(sum(building["millesimi"].values())),
            "units": row["units"], "total_units": str(building["units"]), "estimated": row["estimated"],
            "days": row["days_occupied"], "flat_days": whole["days"],
            "bill": None if bill is None else {k: bill[k] for k in ("mwh", "eur_per_mwh", "fixed_eur",
                                                                   "voluntary_share")},
        }
        # The flat as a whole (every household of the season together): what a pro rata settlement divides.
        flat = {**inputs, "units": str(whole["units"]), "days": whole["days"], "estimated": whole["estimated"]}
        out.append({**row, "inputs": inputs, "flat": flat, "share": share(inputs) if bill and with_share else None})
    return out


def day_share(flat):
    """The household's part of the flat's millesimi share: its days over all the flat's days."""
    return Decimal(flat["days"]) / Decimal(flat["flat_days"]) if flat["flat_days"] else Decimal(1)


def share(flat, units=None):
    """(C, fixed part, voluntary part) of a household's cost S in a season, unrounded."""
    bill = flat["bill"]
    cost = building_cost(Decimal(bill["mwh"]), Decimal(bill["eur_per_mwh"]), Decimal(bill["fixed_eur"]))
    fixed, voluntary = flat_cost(cost, Decimal(bill["voluntary_share"]), Decimal(flat["millesimi"]),
                                 Decimal(flat["total_millesimi"]),
                                 Decimal(flat["units"]) if units is None else units,
                                 Decimal(flat["total_units"]), day_share(flat))
    return cost, fixed, voluntary


def evaluate(inputs):
    """The contribution from stored inputs alone: unrounded Decimals (the rounded cents are the caller's)."""
    out = _rule(inputs)
    settlement = inputs.get("settlement") or {}
    if settlement.get("decision") == "pro_rata" and cases.pro_rata_ready(inputs):
        flat = _rule({**inputs, **inputs["flat"], "solidarity_cents": 0})
        days, season_days = inputs["current"]["days"], inputs["flat"]["season_days"]
        raw = flat["raw"] * Decimal(days) / Decimal(season_days)
        deducted = min(Decimal(inputs["solidarity_cents"]) / 100, raw)
        out.update(flat=flat, days=days, season_days=season_days, raw=raw, deducted=deducted, net=raw - deducted)
    return out


def _rule(inputs):
    current, previous = inputs["current"], inputs["previous"]
    _cost, fixed, voluntary = share(current)
    out = {"cost_current": fixed + voluntary, "fixed": fixed, "voluntary": voluntary}
    out["cost_allowed"], out["allowed_units"] = out["cost_current"], Decimal(current["units"])
    if previous is None or previous["bill"] is None or not previous["days"]:
        return out
    _pcost, pfixed, pvoluntary = share(previous)
    out["cost_previous"] = pfixed + pvoluntary
    if inputs["rule"] == "B":
        out["allowed_units"] = allowed_units(Decimal(current["units"]), Decimal(previous["units"]),
                                             Decimal(inputs["degree_days"]), Decimal(inputs["previous_degree_days"]))
        _cost, fixed, voluntary_allowed = share(current, out["allowed_units"])
        out["voluntary_allowed"] = voluntary_allowed
        out["cost_allowed"] = fixed + voluntary_allowed
    out["raw"], out["deducted"], out["net"] = contribution(
        out["cost_allowed"], out["cost_previous"], current["days"], previous["days"],
        Decimal(inputs["solidarity_cents"]) / 100)
    return out


def result_columns(inputs, status):
    """The stored columns of a contribution: its costs, and its amount when it is payable."""
    result = evaluate(inputs) if inputs["current"]["bill"] else {}
    payable = status in ("computed", "reviewed", "approved") and "net" in result
    return {
        "cost_previous_cents": cents(result["cost_previous"]) if "cost_previous" in result else None,
        "cost_current_cents": cents(result.get("cost_current", Decimal(0))),
        "cost_current_allowed_cents": cents(result.get("cost_allowed", Decimal(0))),
        "solidarity_deducted_cents": cents(result["deducted"]) if payable else 0,
        "amount_cents": cents(result["net"]) if payable else None,
    }


def compute(season_code, rule=None, user_id=None):
    """Write a new version of the season's contributions; returns (version, status counts)."""
    season = queries.season(season_code)
    if season is None:
        raise ComputeError(_("Unknown season %(season)s.", season=season_code))
    if not season["reference_season"]:
        raise ComputeError(_("%(season)s is the baseline season: it has no contributions.", season=season_code))
    if season["closed_at"]:
        raise ComputeError(_("Season %(season)s is closed: no new version.", season=season_code))
    rule = rule or season["rule"]
    reference = queries.season(season["reference_season"])
    if rule == "B" and not (season["degree_days"] and reference["degree_days"]):
        raise ComputeError(
            _("Rule B needs the degree-days of the season and of its reference season: enter them first."))
    current = season_shares(season_code, with_share=False)
    if not current:
        raise ComputeError(_("No readings loaded for %(season)s: import the reading company's file first.",
                             season=season_code))
    before = season_shares(reference["code"], with_share=False)
    previous = {(r["household_code"], r["unit_id"]): r for r in before}
    previous_flats = {r["unit_id"]: r["flat"] for r in before}
    households = queries.households_by_code()
    data = queries.household_data(season_code)
    settled = queries.settlements(season_code)
    far = cases.far_from_building(current)
    # The whole season as the reading company counts it (15 Oct-15 Apr is 182 days to some, 183 to others):
    # the most days any flat of the building was occupied. A household with fewer moved in or out.
    whole = {}
    for row in current:
        whole[row["building_id"]] = max(whole.get(row["building_id"], 0), row["flat"]["days"])
    rows = []
    for row in current:
        if not row["household_code"]:
            continue  # a vacant flat: nobody to pay
        code = row["household_code"]
        mine = previous.get((code, row["unit_id"]))
        extra = data.get(code)
        inputs = {
            "season": season_code, "reference_season": reference["code"], "rule": rule,
            "rule_version": RULES[rule], "degree_days": season["degree_days"],
            "previous_degree_days": reference["degree_days"], "current": row["inputs"],
            "previous": mine["inputs"] if mine else None,
            "solidarity_cents": extra["solidarity_cents"] if extra else 0,
            "isee_cents": extra["isee_cents"] if extra else None, "isee_ceiling_cents": season["isee_ceiling_cents"],
        }
        length = whole[row["building_id"]]
        status, reason = cases.check(inputs, households.get(code), extra, season, length, row["id"] in far)
        if status == "to_check" and reason in cases.SETTLEABLE:
            inputs["flat"] = {"current": row["flat"], "previous": previous_flats.get(row["unit_id"]),
                              "season_days": length}
            inputs["case"] = reason
            status, reason = cases.apply(inputs, settled.get((code, row["unit_id"])), status, reason)
        rows.append({"season": season_code, "household_code": code, "unit_id": row["unit_id"],
                     **result_columns(inputs, status), "status": status, "reason": reason,
                     "inputs": json.dumps(inputs, sort_keys=True), "rule": rule, "rule_version": RULES[rule],
                     "updated_at": now()})
    db = get_db()
    with db.atomic():
        latest = queries.latest_version(season_code)
        number = latest["version"] + 1 if latest else 1
        version_id = db["heating_versions"].insert({
            "season": season_code, "version": number, "rule": rule, "rule_version": RULES[rule],
            "created_at": now(), "created_by": user_id}).last_pk
        queries.insert_contributions(version_id, rows)
    return number, queries.status_counts(version_id)
