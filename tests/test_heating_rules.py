"""The issue's worked example, to the cent, and the observatory's arithmetic on the same building."""
from decimal import Decimal as D

from fieldapp.energy.metrics import change_split, intensity, modified_z, near_zero, outliers
from fieldapp.heating.compute import evaluate
from fieldapp.heating.rules import cents

BEFORE = {"mwh": "180", "eur_per_mwh": "150", "fixed_eur": "3000", "voluntary_share": "0.6"}
AFTER = {"mwh": "190", "eur_per_mwh": "160", "fixed_eur": "3150", "voluntary_share": "0.6"}


def example(rule, solidarity_cents=0):
    flat = {"millesimi": "42", "total_millesimi": "1000", "days": 182, "flat_days": 182}
    return {
        "rule": rule, "degree_days": "2300", "previous_degree_days": "2150", "solidarity_cents": solidarity_cents,
        "previous": {**flat, "units": "1000", "total_units": "24000", "bill": BEFORE},
        "current": {**flat, "units": "1100", "total_units": "25500", "bill": AFTER},
    }


def test_worked_example_flat_costs():
    result = evaluate(example("A"))
    assert cents(result["cost_previous"]) == 125400
    assert (cents(result["fixed"]), cents(result["voluntary"])) == (56364, 86835)
    assert cents(result["cost_current"]) == 143199


def test_worked_example_rule_a_pays_177_99():
    assert cents(evaluate(example("A"))["net"]) == 17799


def test_worked_example_rule_b_allows_1069_77_units_and_pays_154_13():
    result = evaluate(example("B"))
    assert result["allowed_units"].quantize(D("0.01")) == D("1069.77")
    assert cents(result["cost_allowed"]) == 140813
    assert cents(result["net"]) == 15413


def test_solidarity_already_paid_is_deducted_and_never_makes_it_negative():
    assert cents(evaluate(example("A", solidarity_cents=5000))["net"]) == 12799
    result = evaluate(example("A", solidarity_cents=50000))
    assert cents(result["net"]) == 0 and cents(result["deducted"]) == 17799


def test_fewer_days_this_season_scale_the_previous_cost():
    inputs = example("A")
    inputs["current"]["days"] = 91
    inputs["current"]["flat_days"] = 182  # another household had the other half
    result = evaluate(inputs)
    # Half the millesimi share, the household's own units, against half of last year's cost.
    assert cents(result["cost_current"]) == 28182 + 86835
    assert cents(result["net"]) == cents(D("281.82") + result["voluntary"] - D("1254.00") * 91 / 182)


def test_rounding_is_half_up_once_at_the_end():
    assert cents(D("0.005")) == 1 and cents(D("0.0049999")) == 0 and cents(D("2.675")) == 268


def test_observatory_split_of_the_worked_example():
    before = {k: D(v) for k, v in BEFORE.items()}
    after = {k: D(v) for k, v in AFTER.items()}
    split = change_split(before, after, D(2150), D(2300))
    assert {k: v.quantize(D("0.01")) for k, v in split.items()} == {
        "price": D("1800.00"), "weather": D("2009.30"), "volume": D("-409.30"), "fixed": D("150.00")}
    assert sum(split.values()) == D(33550) - D(30000)


def test_observatory_intensity_of_the_worked_example():
    assert intensity(D(180), D(1560), D(2150))[1].quantize(D("0.01")) == D("53.67")
    assert intensity(D(190), D(1560), D(2300))[1].quantize(D("0.01")) == D("52.95")
    kwh, _wh, normalised = intensity(D(180), D(1560), D(2150))
    assert kwh.quantize(D("0.1")) == D("115.4") and normalised.quantize(D("0.1")) == D("128.2")


def test_modified_z_flags_a_far_flat():
    values = [D(v) for v in (10, 11, 10, 12, 11, 10, 40)]
    assert outliers(values) == [6]


def test_modified_z_with_mad_zero_uses_the_mean_absolute_deviation():
    values = [D(10)] * 6 + [D(30)]
    z = modified_z(values)
    assert z[6] == D(20) / (D("1.253314") * D(20) / 7)
    assert outliers(values) == [6]


def test_all_equal_values_have_no_outliers():
    assert outliers([D(5)] * 8) == [] and modified_z([D(5)] * 3) == [None] * 3


def test_near_zero_use_is_flagged():
    assert near_zero([D(v) for v in (100, 90, 110, 5, 95)]) == [3]
