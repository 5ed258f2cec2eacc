"""Compute a season's contributions into a new version: inputs gathered per household, then the rule.

`evaluate(inputs)` is the only arithmetic: it is run when computing and again by the "why this amount"
page and the tests, from the stored inputs alone, so every stored euro can be reproduced.
"""
import json
from decimal import Decimal

from flask_babel import gettext as _

from fieldapp.db import get_db, now
from fieldapp.heating import queries
from fieldapp.heating.rules import RULES, allowed_units, building_cost, cents, contribution, flat_cost


class ComputeError(Exception):
    """The season cannot be computed; the message says why (nothing is written)."""


def season_shares(season_code, with_share=True):
    """Each reading of the season with its building's bill and the numbers of its share, as text."""
    bills = queries.bills(season_code)
    rows = queries.readings(season_code)
    totals, flat_days = {}, {}
    for row in rows:
        building = totals.setdefault(row["building_id"], {"millesimi": {}, "units": Decimal(0)})
        building["millesimi"][row["unit_id"]] = Decimal(row["millesimi"])
        building["units"] += Decimal(row["units"])
        flat_days[row["unit_id"]] = flat_days.get(row["unit_id"], 0) + row["days_occupied"]
    out = []
    for row in rows:
        bill = bills.get(row["building_id"])
        building = totals[row["building_id"]]
        flat = {
            "building_code": row["building_code"], "scala": row["scala"], "interno": row["interno"],
            "millesimi": row["millesimi"], "total_millesimi": str(sum(building["millesimi"].values())),
            "units": row["units"], "total_units": str(building["units"]), "estimated": row["estimated"],
            "days": row["days_occupied"], "flat_days": flat_days[row["unit_id"]],
            "bill": None if bill is None else {k: bill[k] for k in ("mwh", "eur_per_mwh", "fixed_eur",
                                                                   "voluntary_share")},
        }
        out.append({**row, "inputs": flat, "share": share(flat) if bill and with_share else None})
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
    """The contribution from stored inputs alone: unrounded Decimals, and the rounded cents."""
    current, previous = inputs["current"], inputs["previous"]
    _cost, fixed, voluntary = share(current)
    out = {"cost_current": fixed + voluntary, "fixed": fixed, "voluntary": voluntary}
    out["cost_allowed"], out["allowed_units"] = out["cost_current"], Decimal(current["units"])
    if previous is None:
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


def _check(inputs, household, data, season):
    """(status, reason) before the arithmetic: who is eligible and what is missing."""
    if household is None:
        return "to_check", "not_in_registry"
    if not household["heating_eligible"]:
        return "rejected", "not_eligible"
    if inputs["current"]["bill"] is None:
        return "to_check", "no_bill"
    ceiling = season["isee_ceiling_cents"]
    if ceiling is not None:
        if data is None or data["isee_cents"] is None:
            return "to_check", "no_isee"
        if data["isee_cents"] > ceiling:
            return "rejected", "isee_over_ceiling"
    previous = inputs["previous"]
    if previous is None or previous["bill"] is None:
        return "to_check", "no_reference"
    if not previous["days"]:
        return "to_check", "no_reference_days"
    return "computed", None


def compute(season_code, rule=None, user_id=None):
    """Write a new version of the season's contributions; returns (version, status counts)."""
    season = queries.season(season_code)
    if season is None:
        raise ComputeError(_("Unknown season %(season)s.", season=season_code))
    if not season["reference_season"]:
        raise ComputeError(_("%(season)s is the baseline season: it has no contributions.", season=season_code))
    rule = rule or season["rule"]
    reference = queries.season(season["reference_season"])
    if rule == "B" and not (season["degree_days"] and reference["degree_days"]):
        raise ComputeError(
            _("Rule B needs the degree-days of the season and of its reference season: enter them first."))
    current = season_shares(season_code, with_share=False)
    if not current:
        raise ComputeError(_("No readings loaded for %(season)s: import the reading company's file first.",
                             season=season_code))
    previous = {(r["household_code"], r["unit_id"]): r for r in season_shares(reference["code"], with_share=False)}
    households = queries.households_by_code()
    data = queries.household_data(season_code)
    db = get_db()
    rows = []
    for row in current:
        if not row["household_code"]:
            continue  # a vacant flat: nobody to pay
        code = row["household_code"]
        before = previous.get((row["household_code"], row["unit_id"]))
        extra = data.get(row["household_code"])
        inputs = {
            "season": season_code, "reference_season": reference["code"], "rule": rule,
            "rule_version": RULES[rule], "degree_days": season["degree_days"],
            "previous_degree_days": reference["degree_days"], "current": row["inputs"],
            "previous": before["inputs"] if before else None,
            "solidarity_cents": extra["solidarity_cents"] if extra else 0,
            "isee_cents": extra["isee_cents"] if extra else None, "isee_ceiling_cents": season["isee_ceiling_cents"],
        }
        status, reason = _check(inputs, households.get(row["household_code"]), extra, season)
        result = evaluate(inputs) if inputs["current"]["bill"] else {}
        rows.append({
            "season": season_code, "household_code": code, "unit_id": row["unit_id"],
            "cost_previous_cents": cents(result["cost_previous"]) if "cost_previous" in result else None,
            "cost_current_cents": cents(result.get("cost_current", Decimal(0))),
            "cost_current_allowed_cents": cents(result.get("cost_allowed", Decimal(0))),
            "solidarity_deducted_cents": cents(result["deducted"]) if status == "computed" else 0,
            "amount_cents": cents(result["net"]) if status == "computed" else None,
            "status": status, "reason": reason, "inputs": json.dumps(inputs, sort_keys=True),
            "rule": rule, "rule_version": RULES[rule], "updated_at": now(),
        })
    with db.atomic():
        latest = queries.latest_version(season_code)
        number = latest["version"] + 1 if latest else 1
        version_id = db["heating_versions"].insert({
            "season": season_code, "version": number, "rule": rule, "rule_version": RULES[rule],
            "created_at": now(), "created_by": user_id}).last_pk
        queries.insert_contributions(version_id, rows)
    return number, queries.status_counts(version_id)
