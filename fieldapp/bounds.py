"""Plausible bounds for every number the app takes in, and the one parser that holds them to it.

Imports and forms read a quantity or an amount only through this module:

    bounds.parse("degree_days", "2.300")   -> Decimal("2300")
    bounds.cents("isee", "8.500,00")       -> 850000
    bounds.parse("isee", "", required=False) -> None

The text is read as an Italian ("1.234,56") or plain ("1234.56") decimal, with spaces or apostrophes
between groups of thousands and an optional EUR sign. A lone separator followed by three digits
("15.000") is a thousands separator when the bound takes fewer than three decimals (money, ISEE,
degree-days), else a decimal mark. Refused, with a `BoundError` (a ValueError) that names the field
and the limit in the user's language: no digits, exponents ("1e30"), nan or inf, digits other than
0-9, more decimals than the bound takes, text over MAX_LENGTH characters, a value outside the bound.
"""
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l

from fieldapp.fields import SQLITE_INT_MAX

MAX_LENGTH = 32


@dataclass(frozen=True)
class Bound:
    label: object  # a lazy string: how a form or a message names the field
    low: Decimal
    high: Decimal
    unit: str = ""
    places: int = 4  # the most decimals accepted
    low_open: bool = False  # the low limit itself is refused ("above 0")


def _bound(label, low, high, unit="", places=4, low_open=False):
    return Bound(label, Decimal(low), Decimal(high), unit, places, low_open)


MONEY = 1_000_000  # EUR: no amount this programme handles comes near it
BOUNDS = {
    # Heating (docs/heating.md): a season's degree-days in Italy's climate zones, a district-heating
    # price, a building's season (the largest demo building uses about 300 MWh).
    "degree_days": _bound(_l("Degree-days"), 1_000, 4_500, "GG", places=1),
    "eur_per_mwh": _bound(_l("Price per MWh"), 20, 800, "EUR/MWh"),
    "mwh": _bound(_l("MWh of the building in the season"), 0, 5_000, "MWh", places=3),
    "fixed_eur": _bound(_l("Fixed part of the bill"), 0, MONEY, "EUR", places=2),
    "voluntary_share": _bound(_l("Voluntary share"), "0.5", 1),  # D.Lgs 102/2014 art. 9 c.5 d
    "millesimi": _bound(_l("Millesimi"), 0, 1_000, low_open=True),
    "units": _bound(_l("Allocator units"), 0, 1_000_000, places=2),
    "temperature": _bound(_l("Daily mean temperature"), -30, 40, "°C", places=2),
    # Money and means (docs/arrears.md too).
    "isee": _bound(_l("ISEE"), 0, 100_000, "EUR", places=2),
    "amount": _bound(_l("Amount"), 0, MONEY, "EUR", places=2),
    "balance": _bound(_l("Balance"), -MONEY, MONEY, "EUR", places=2),
    # Governance (docs/governance.md): a target of an indicator for a project year, an hourly rate of a role.
    "target": _bound(_l("Target"), 0, 1_000_000_000, places=2),
    "hourly_rate": _bound(_l("Hourly rate"), 0, 1_000, "EUR", places=2),
    "cost": _bound(_l("Cost"), 0, 500_000, "EUR", places=2),  # one cleanup intervention
    # Counts people type in the field (whole numbers): a visit's household, a meeting's groups, a pact.
    "present_count": _bound(_l("How many people were present"), 0, 20, places=0),
    "participants": _bound(_l("Participants of a group"), 0, 500, places=0),
    "signatories": _bound(_l("Number of signatories"), 1, 500, places=0),
    "volunteers": _bound(_l("Volunteers"), 0, 500, places=0),
    "person_hours": _bound(_l("Person-hours"), 0, 5_000, places=1),
    "visit_minutes": _bound(_l("Duration in minutes"), 5, 480, "min", places=0),  # a visit, a plan's session
    "contact_minutes": _bound(_l("Duration in minutes"), 1, 480, "min", places=0),  # an arrears contact
    "meeting_minutes": _bound(_l("Duration in minutes"), 5, 720, "min", places=0),
    "gas_score": _bound(_l("Score"), -2, 2, places=0),  # goal attainment scaling
    "months": _bound(_l("Months"), 0, 1_200, places=0),
    "instalments": _bound(_l("Number of instalments"), 0, 10_000, places=0),
    "days_occupied": _bound(_l("Days occupied"), 0, 366, places=0),
    "members": _bound(_l("Members"), 1, 20, places=0),
    # Where: a phone's GPS writes up to 15 decimals; the programme works in and around Cremona.
    "latitude": _bound(_l("Latitude"), -90, 90, "°", places=15),
    "longitude": _bound(_l("Longitude"), -180, 180, "°", places=15),
    "accuracy_m": _bound(_l("Accuracy"), 0, 100_000, "m", places=15),
    "area_m2": _bound(_l("Floor area"), 0, 10_000, "m²", places=2),
    # A record's version sent back by an edit form: SQLite's signed 64-bit integers.
    "version": _bound(_l("Version"), 0, SQLITE_INT_MAX, places=0),
}
# Figures that must add up: (target, tolerance). The millesimi of a building's flats make 1,000.
TOTALS = {"millesimi": (Decimal(1_000), Decimal("0.5"))}

CURRENCY = re.compile(r"^(?:€|eur)\s*|\s*(?:€|eur)$", re.IGNORECASE)
BODY = re.compile(r"[0-9.,' \u00a0\u202f]+")
GROUPED = re.compile(r"[0-9]{1,3}(?:([.,' \u00a0\u202f])[0-9]{3})(?:\1[0-9]{3})*")
DIGITS = re.compile(r"[0-9]+")


class BoundError(ValueError):
    """A number refused. `field` is the bound's name, `text` what was given, `kind` why.

    str() is the whole message ("ISEE: must be from 0 to 100.000 EUR, not 1.000.000"); `problem` is
    the same without the field, for an import whose message already names its column.
    """

    def __init__(self, field, text, kind, value=None):
        super().__init__(field, text, kind)
        self.field, self.text, self.kind, self.value = field, str(text)[:MAX_LENGTH + 8], kind, value

    @property
    def label(self):
        bound = BOUNDS.get(self.field)
        return bound.label if bound else self.field

    @property
    def limit(self):
        """(low, high) of the bound, or (target, tolerance) of a total."""
        if self.kind == "total":
            return TOTALS[self.field]
        bound = BOUNDS.get(self.field)
        return (bound.low, bound.high) if bound else None

    @property
    def problem(self):
        bound = BOUNDS.get(self.field)
        if self.kind == "empty":
            return gettext("a number is required")
        if self.kind == "too_long":
            return gettext("longer than %(n)s characters", n=MAX_LENGTH)
        if self.kind == "places" and not bound.places:
            return gettext("“%(value)s” is not a whole number", value=self.text)
        if self.kind == "places":
            return gettext("“%(value)s” has more than %(n)s decimals", value=self.text, n=bound.places)
        if self.kind == "total":
            target, tolerance = TOTALS[self.field]
            return gettext("they add up to %(value)s, not %(target)s ± %(tolerance)s", value=_number(self.value),
                           target=_number(target), tolerance=_number(tolerance))
        if self.kind == "range":
            unit = f" {bound.unit}" if bound.unit else ""
            if bound.low_open:
                return gettext("must be above %(low)s and at most %(high)s%(unit)s, not %(value)s",
                               low=_number(bound.low), high=_number(bound.high), unit=unit, value=_number(self.value))
            return gettext("must be from %(low)s to %(high)s%(unit)s, not %(value)s", low=_number(bound.low),
                           high=_number(bound.high), unit=unit, value=_number(self.value))
        return gettext("“%(value)s” is not a number", value=self.text)

    def __str__(self):
        return gettext("%(field)s: %(problem)s", field=str(self.label), problem=self.problem)


def _number(value):
    """A limit or a value as the user's language writes it (plain outside an app)."""
    try:
        with localcontext() as context:
            context.prec = 2 * MAX_LENGTH  # 32 digits and 6 decimals are over the default 28: InvalidOperation, a 500
            return format_decimal(value, "#,##0.######")
    except (RuntimeError, KeyError):
        return format(value, "f")


def read(field, text, places, mark=None):
    """Decimal from the text, or BoundError; `mark` is the file's decimal separator when known."""
    raw = (text or "").strip()
    if len(raw) > MAX_LENGTH:
        raise BoundError(field, raw, "too_long")
    body = CURRENCY.sub("", raw).replace("\u2212", "-")
    sign = ""
    if body[:1] in "+-" and body:
        sign, body = ("-" if body[0] == "-" else ""), body[1:]
    if not body or not BODY.fullmatch(body) or not body[0].isdigit() or not body[-1].isdigit():
        raise BoundError(field, raw, "empty" if not raw else "number")
    if mark is None:
        mark = _mark(body, places)
    whole, _sep, fraction = body.rpartition(mark) if mark and mark in body else (body, "", "")
    if not whole or (fraction and not DIGITS.fullmatch(fraction)):
        raise BoundError(field, raw, "number")
    if not DIGITS.fullmatch(whole):
        grouped = GROUPED.fullmatch(whole)
        if grouped is None or grouped.group(1) == mark:
            raise BoundError(field, raw, "number")
        whole = re.sub(r"[^0-9]", "", whole)
    if len(fraction) > places:
        raise BoundError(field, raw, "places")
    return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")


def _mark(body, places):
    """The decimal separator of a number written without telling: the last of '.' ',' to appear,
    unless it only groups thousands."""
    last = max(body.rfind("."), body.rfind(","))
    if last < 0:
        return None
    mark = body[last]
    if body.count(mark) > 1:
        return None  # 1.234.567: grouping only
    other = "," if mark == "." else "."
    if other not in body and len(body) - last - 1 == 3 and places < 3 and re.fullmatch(r"[0-9]{1,3}", body[:last]):
        return None  # "15.000" of money is fifteen thousand
    return mark


def check(field, value, text=None):
    """`value` (a Decimal) when the bound `field` holds it, else BoundError."""
    bound = BOUNDS[field]
    if value < bound.low or value > bound.high or (bound.low_open and value == bound.low):
        raise BoundError(field, text if text is not None else value, "range", value)
    return value


def parse(field, text, mark=None, required=True):
    """The Decimal written in `text`, within the bound `field`; None for empty text when not required."""
    if not required and not (text or "").strip():
        return None
    bound = BOUNDS[field]
    value = read(field, text, bound.places, mark)
    return check(field, value, text)


def cents(field, text, mark=None, required=True):
    """Like `parse`, as integer cents (an amount of EUR rounded half up once)."""
    value = parse(field, text, mark, required)
    return None if value is None else to_cents(value)


def text(value):
    """A Decimal as the plain text a column stores: no exponent, no trailing zeros ("2240", "0.6")."""
    return format(value.normalize(), "f")


def to_cents(value):
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def total(field, value):
    """`value` when it is the total TOTALS[field] asks for, within its tolerance, else BoundError."""
    target, tolerance = TOTALS[field]
    if abs(value - target) > tolerance:
        raise BoundError(field, value, "total", value)
    return value
