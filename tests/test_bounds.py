"""The one reader of numbers (fieldapp/bounds.py): Italian and plain decimals in, tricks and the implausible out."""
from decimal import Decimal as D

import pytest

from fieldapp import bounds


@pytest.mark.parametrize("field, text, value", [
    ("isee", "8.500,00", D("8500.00")), ("isee", "15.000", D(15000)), ("isee", "€ 9.360", D(9360)),
    ("amount", "1 234,5", D("1234.5")), ("amount", "1\u00a0234,50 €", D("1234.50")),
    ("amount", "1'234.50", D("1234.50")),
    ("balance", "-1.234,56", D("-1234.56")), ("balance", "1,234.56", D("1234.56")), ("amount", "300", D(300)),
    ("degree_days", "2.300", D(2300)), ("degree_days", "2412,5", D("2412.5")), ("degree_days", "2412.5", D("2412.5")),
    ("mwh", "101.5", D("101.5")), ("units", "1.100", D(1100)), ("millesimi", "41,667", D("41.667")),
    ("voluntary_share", "0,6", D("0.6")), ("eur_per_mwh", "158.25", D("158.25")),
])
def test_italian_and_plain_decimals_are_read(field, text, value):
    assert bounds.parse(field, text) == value


@pytest.mark.parametrize("text", ["1e30", "1E5", "nan", "NaN", "inf", "-inf", "Infinity", "0x10", "1_000", "٣", "１２",
                                  "²", "1.2.3", "12.5.", ",5", "- 5", "abc", "1" * 33, "--1"])
def test_tricks_are_not_numbers(text):
    with pytest.raises(bounds.BoundError) as refused:
        bounds.parse("amount", text)
    assert refused.value.kind in ("number", "too_long") and isinstance(refused.value, ValueError)


@pytest.mark.parametrize("field, text", [
    ("degree_days", "999"), ("degree_days", "4.501"), ("degree_days", "99999999999"), ("eur_per_mwh", "19,99"),
    ("eur_per_mwh", "800,01"), ("mwh", "5000,001"), ("mwh", "-1"), ("isee", "100.000,01"), ("isee", "-1"),
    ("amount", "1.000.000,01"), ("amount", "99999999999999999999.00"), ("balance", "-1.000.000,01"),
    ("voluntary_share", "0,49"), ("millesimi", "0"), ("millesimi", "1000,5"), ("temperature", "45"),
])
def test_out_of_bounds_is_refused_naming_the_field_and_the_limit(field, text):
    with pytest.raises(bounds.BoundError) as refused:
        bounds.parse(field, text)
    error = refused.value
    assert (error.kind, error.field) == ("range", field)
    assert error.limit == (bounds.BOUNDS[field].low, bounds.BOUNDS[field].high)
    assert str(error).startswith(str(bounds.BOUNDS[field].label) + ": must be")


def test_money_takes_two_decimals_and_gives_cents_rounded_once():
    assert bounds.cents("amount", "12,34") == 1234 and bounds.cents("isee", "8.500") == 850000
    with pytest.raises(bounds.BoundError, match="more than 2 decimals"):
        bounds.cents("amount", "12,345.678")
    assert bounds.to_cents(D("0.005")) == 1 and bounds.to_cents(D("2.675")) == 268


def test_empty_is_none_only_when_not_required():
    assert bounds.parse("isee", "  ", required=False) is None and bounds.cents("amount", "", required=False) is None
    with pytest.raises(bounds.BoundError, match="a number is required"):
        bounds.parse("isee", "")


def test_millesimi_of_a_building_add_up_to_a_thousand():
    assert bounds.total("millesimi", D("999.6")) == D("999.6")
    with pytest.raises(bounds.BoundError, match="add up to 999.4, not 1,000"):
        bounds.total("millesimi", D("999.4"))


def test_a_file_can_say_its_decimal_mark():
    assert bounds.parse("amount", "1.234", mark=",") == D(1234) and bounds.parse("amount", "1,5", mark=",") == D("1.5")
    with pytest.raises(bounds.BoundError):
        bounds.parse("amount", "12.5", mark=",")
