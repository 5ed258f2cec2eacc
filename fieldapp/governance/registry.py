"""Indicators as data (DHIS2's model): metadata here, numbers from the areas that own the records.

An area registers each indicator on its numerator function, in its own queries.py:

    from fieldapp.governance.registry import indicator

    @indicator("visits.by_kind", _l("Home visits, by kind"), service="tutoring",
               tables=("visits",), disaggregations=("quartiere", "presidio", "kind"))
    def visits_by_kind(period, by=None, scope=None):
        ...  # -> {None: total} or, with `by`, {"Borgo Loreto": 12, ...}

A numerator (and an optional denominator, same signature) takes a `periods.Period`, an optional
disaggregation `by` (one of the indicator's `disaggregations`) and an optional `scope` (the reader's
presidio codes, None for all) and returns {key: number}; the key None is the total. The `indicators`
table (governance migrations) mirrors this metadata, with the function's dotted name, never SQL.
An indicator whose tables do not exist yet is not shown: no dead tiles.
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

PERIOD_TYPES = ("month", "quarter", "season", "project_year")
SERVICES = ("tutoring", "common_areas", "community", "arrears", "heating", "plans", "pacts")
UNITS = ("count", "percent", "eur", "days", "hours")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object  # a lazy string
    service: str
    numerator: Callable
    denominator: Optional[Callable] = None
    factor: int = 1  # 100 for a percentage
    unit: str = "count"
    period_types: tuple = PERIOD_TYPES
    disaggregations: tuple = ()
    tables: tuple = ()
    records: Optional[str] = None  # the endpoint that lists the records behind a figure
    description: object = ""
    order: int = field(default=0, compare=False)

    @property
    def function(self):
        return f"{self.numerator.__module__}.{self.numerator.__qualname__}"

    def value(self, period, by=None, scope=None):
        """{key: value}: numerator, or numerator x factor / denominator (None where it is 0)."""
        numerator = self.numerator(period, by=by, scope=scope)
        if self.denominator is None:
            return numerator
        denominator = self.denominator(period, by=by, scope=scope)
        return {
            key: (round(numerator.get(key, 0) * self.factor / d, 1) if d else None)
            for key, d in denominator.items()
        }


INDICATORS = {}


def indicator(code, name, *, service, **meta):
    """Register the decorated function as the numerator of indicator `code`."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}")
    if meta.get("unit", "count") not in UNITS:
        raise ValueError(f"unknown unit {meta['unit']!r}")

    def register(numerator):
        if code in INDICATORS and INDICATORS[code].function != f"{numerator.__module__}.{numerator.__qualname__}":
            raise ValueError(f"indicator {code!r} registered twice")
        INDICATORS[code] = Indicator(code, name, service, numerator, order=len(INDICATORS), **meta)
        return numerator

    return register


def available(db):
    """The registered indicators whose tables exist, in registration order."""
    tables = set(db.table_names())
    return [i for i in sorted(INDICATORS.values(), key=lambda i: i.order) if set(i.tables) <= tables]
