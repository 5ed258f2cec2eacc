"""Indicators as data (DHIS2's model): metadata here, numbers from the areas that own the records.

An area defines each indicator on its numerator function, in its own indicators.py, and declares
them (`Area.indicators`); `create_app` installs them in the areas' order:

    from fieldapp.indicators.registry import indicator

    @indicator("visits.by_kind", _l("Home visits, by kind"), service="tutoring",
               tables=("visits",), disaggregations=("quartiere", "presidio", "kind"))
    def visits_by_kind(period, by=None, scope=None):
        ...  # -> {None: total} or, with `by`, {"Borgo Loreto": 12, ...}

`visits_by_kind` is then the Indicator; its function is `visits_by_kind.numerator`.

A numerator (and an optional denominator, same signature) takes a `periods.Period`, an optional
disaggregation `by` (one of the indicator's `disaggregations`) and an optional `scope` (the reader's
presidio codes, None for all) and returns {key: number}; the key None is the total. The `indicators`
table (governance migrations) mirrors this metadata, with the function's dotted name, never SQL.
An indicator whose tables do not exist yet is not shown: no dead tiles.
"""
import json
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from fieldapp.clock import now

PERIOD_TYPES = ("month", "quarter", "season", "project_year", "project")
SERVICES = ("tutoring", "common_areas", "community", "arrears", "heating", "plans", "pacts")
UNITS = ("count", "percent", "eur", "days", "hours")
SERVICE_LABELS = {
    "tutoring": _l("Condominium tutoring"), "common_areas": _l("Common areas"), "community": _l("Community work"),
    "arrears": _l("Arrears"), "heating": _l("Heating contributions"), "plans": _l("Individual plans"),
    "pacts": _l("Community pacts"),
}
# The ways a figure can be split; an indicator lists those that make sense for its records.
DISAGGREGATIONS = {
    "quartiere": _l("Quartiere"), "presidio": _l("Presidio"), "service": _l("Service"),
    "pilot_area": _l("Pilot area"), "kind": _l("Kind"), "status": _l("Status"),
    "context": _l("Context"), "group": _l("Group of participants"), "category": _l("Category"),
    "band": _l("Arrears band"), "channel": _l("Channel"), "building": _l("Building"),
}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object  # a lazy string
    service: str
    numerator: Callable
    denominator: Callable | None = None
    factor: int = 1  # 100 for a percentage
    unit: str = "count"
    counted: object = None  # what a count counts, in words ("households", "visits"): the report's unit
    period_types: tuple = PERIOD_TYPES
    disaggregations: tuple = ()
    tables: tuple = ()
    records: str | None = None  # the endpoint that lists the records behind a figure
    description: object = ""
    # The list page of `records` takes these fixed query arguments (("status", "done"),) and these
    # disaggregations as filters (("status", "status"), ("quartiere", "quartiere")): drill-down links.
    record_args: object = ()  # pairs, or a function of the period returning a dict
    record_filters: tuple = ()
    record_dates: bool = True  # the list page filters by ?from=&to= (inclusive local days)
    key_labels: object = None  # {disaggregation: {key: label}} for keys that are codes of a vocabulary
    # A count or a sum adds up over months (a quarter is the sum of its closed months); a share, a median,
    # a distinct count or a stock (in force, owed) does not, and is recomputed over the whole span.
    additive: bool | None = None

    def __post_init__(self):
        if self.additive is None:
            object.__setattr__(self, "additive", self.denominator is None and self.unit not in ("percent", "days"))

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


EXTENSION_KEY = "cortile.indicators"


def indicator(code, name, *, service, **meta):
    """Make the decorated function the numerator of indicator `code`; returns the Indicator."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}")
    if meta.get("unit", "count") not in UNITS:
        raise ValueError(f"unknown unit {meta['unit']!r}")

    def define(numerator):
        return Indicator(code, name, service, numerator, **meta)

    return define


def install(app, indicators):
    """Add the indicators an area declared to the app's registry; a code is defined once."""
    found = app.extensions.setdefault(EXTENSION_KEY, {})
    for item in indicators:
        if not isinstance(item, Indicator):
            raise TypeError(f"not an Indicator: {item!r}")
        if item.code in found:
            raise ValueError(f"indicator {item.code!r} declared twice")
        found[item.code] = item


def indicators():
    """{code: Indicator} of the current app, in the order the areas declared them."""
    return current_app.extensions.setdefault(EXTENSION_KEY, {})


def available(db):
    """The app's indicators whose tables exist, in declaration order."""
    tables = set(db.table_names())
    return [i for i in indicators().values() if set(i.tables) <= tables]


def _msgid(name):
    """The English message id of a lazy string: the table holds metadata in the code's language."""
    args = getattr(name, "_args", None)
    return str(args[0]) if args else str(name)


def rows():
    """The `indicators` table's rows as the registry says they should be."""
    out = []
    for i in indicators().values():
        out.append({
            "code": i.code, "name": _msgid(i.name), "service": i.service, "unit": i.unit, "factor": i.factor,
            "period_types": json.dumps(list(i.period_types)), "disaggregations": json.dumps(list(i.disaggregations)),
            "numerator": i.function,
            "denominator": f"{i.denominator.__module__}.{i.denominator.__qualname__}" if i.denominator else None,
            "source_tables": json.dumps(list(i.tables)),
        })
    return out


def sync(db):
    """Bring the `indicators` table in line with the registry; writes only what differs. Idempotent."""
    if "indicators" not in db.table_names():
        return 0
    wanted = {row["code"]: row for row in rows()}
    stored = {row["code"]: row for row in db.query("SELECT * FROM indicators")}
    changed = [row for code, row in wanted.items()
               if {k: v for k, v in stored.get(code, {}).items() if k != "updated_at"} != row]
    gone = [code for code in stored if code not in wanted]
    if changed or gone:
        stamp = now()
        with db.atomic():
            for row in changed:
                db["indicators"].upsert({**row, "updated_at": stamp}, pk="code")
            for code in gone:
                db.execute("DELETE FROM indicators WHERE code = ?", [code])
    return len(changed) + len(gone)
