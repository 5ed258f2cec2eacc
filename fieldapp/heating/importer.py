"""Import the season's building bills, the reading company's file and household ISEE/solidarity data.

Same file habits as the registry import (`;` or `,`, UTF-8 or Excel's Windows-1252, Italian or English
headers, decimal comma or point). Every row is validated first: one problem means nothing is written.
Numbers go through `fieldapp.bounds`; each problem names its row and column, in the user's language.
"""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from fieldapp import bounds
from fieldapp.csvfiles import NO, YES, FileRefused, decode, read_rows
from fieldapp.db import get_db, now
from fieldapp.heating import queries

BILL_COLUMNS = {"codice_stabile": "building_code", "stagione": "season", "euro_mwh": "eur_per_mwh",
                "quota_fissa_euro": "fixed_eur", "quota_volontaria": "voluntary_share"}
READING_COLUMNS = {"codice_stabile": "building_code", "stagione": "season", "unita": "units",
                   "stimata": "estimated", "giorni_occupazione": "days_occupied", "codice_nucleo": "household_code"}
HOUSEHOLD_COLUMNS = {"codice_nucleo": "household_code", "stagione": "season",
                     "solidarieta_riscaldamento": "solidarity", "solidarietà_riscaldamento": "solidarity"}
# How a message names a column: as the documented (Italian) file header.
HEADERS = {"building_code": "codice_stabile", "season": "stagione", "eur_per_mwh": "euro_mwh",
           "fixed_eur": "quota_fissa_euro", "voluntary_share": "quota_volontaria", "units": "unita",
           "estimated": "stimata", "days_occupied": "giorni_occupazione", "household_code": "codice_nucleo",
           "solidarity": "solidarieta_riscaldamento", "date": "data", "mean_temperature": "temperatura_media"}
FORMULA = ("=", "+", "-", "@", "\t", "\r")


class HeatingImportError(FileRefused):
    """The file cannot be imported; `errors` lists (row number, reason)."""


def problem(number, column, reason):
    """(row, "column X: reason"): every import message names its row and column."""
    return number, _l("column %(column)s: %(reason)s", column=HEADERS.get(column, column), reason=reason)


def _rows(raw, columns, aliases, optional=()):
    try:
        return read_rows(decode(raw), columns=columns, optional=optional, aliases=aliases)
    except FileRefused as error:
        raise HeatingImportError(error.errors) from None


def _numbers(row, fields, number, errors):
    """{column: Decimal} of the row's numbers, each read against its bound ({column: bound name})."""
    out = {}
    for column, bound in fields.items():
        try:
            out[column] = bounds.parse(bound, row[column])
        except bounds.BoundError as error:
            errors.append(problem(number, column, error.problem))
    return out


def _season(row, seasons, number, errors):
    if row["season"] not in seasons:
        errors.append(problem(number, "season", _l("unknown season %(value)s (expected one of %(seasons)s)",
                                                   value=row["season"], seasons=", ".join(seasons))))
    return seasons.get(row["season"])


def import_bills(raw):
    """Building bills of one or more seasons; returns the number of bills written."""
    db = get_db()
    rows = _rows(raw, ["building_code", "season", "mwh", "eur_per_mwh", "fixed_eur", "voluntary_share"],
                 BILL_COLUMNS)
    seasons = {s["code"]: s for s in queries.seasons()}
    buildings = queries.buildings_by_code()
    errors, clean, seen = [], [], {}
    for number, row in rows:
        before = len(errors)
        _season(row, seasons, number, errors)
        building = buildings.get(row["building_code"])
        if building is None:
            errors.append(problem(number, "building_code", _l("unknown building %(value)s",
                                                              value=row["building_code"])))
        key = (row["building_code"], row["season"])
        if key in seen:
            errors.append(problem(number, "building_code", _l(
                "building %(building)s already billed for %(season)s on row %(row)s", building=key[0],
                season=key[1], row=seen[key])))
        seen.setdefault(key, number)
        values = _numbers(row, {"mwh": "mwh", "eur_per_mwh": "eur_per_mwh", "fixed_eur": "fixed_eur",
                                "voluntary_share": "voluntary_share"}, number, errors)
        if len(errors) == before:
            clean.append({"season": row["season"], "building_id": building["id"], "imported_at": now(),
                          **{k: bounds.text(v) for k, v in values.items()}})
    if errors:
        raise HeatingImportError(errors)
    with db.atomic():
        db["heating_bills"].upsert_all(clean, pk=("season", "building_id"))
    return len(clean)


def _flag(value):
    value = value.strip().lower()
    return 1 if value in YES else 0 if value in NO else None


def _household(row, number, unit_id, days, length, registry, errors):
    """The row's household code against the registry. A code it does not know is kept: a household that
    left (a case to check, "missing from the registry"). One it places in another flat is refused, unless
    the row covers part of the season only (a household that changed flat during it)."""
    code = row["household_code"]
    if not code:
        return
    if code.startswith(FORMULA) or len(code) > 40 or not code.isprintable():
        errors.append(problem(number, "household_code", _l("%(value)s is not a household code (a spreadsheet "
                                                           "formula?)", value=code[:40])))
        return
    known = registry.get(code)
    if known is not None and unit_id is not None and known["unit_id"] != unit_id and (days is None or days >= length):
        errors.append(problem(number, "household_code", _l(
            "the registry places household %(value)s in another flat", value=code)))


def import_readings(raw):
    """Allocator readings, whole buildings at a time; returns (rows, buildings) written."""
    db = get_db()
    rows = _rows(raw, ["building_code", "season", "scala", "interno", "millesimi", "units", "estimated",
                       "days_occupied"], READING_COLUMNS, optional=["household_code"])
    seasons = {s["code"]: s for s in queries.seasons()}
    buildings = queries.buildings_by_code()
    flats = queries.units_by_flat()
    registry = queries.households_by_code()
    errors, clean = [], []
    millesimi, days, present, seen, first_row = {}, {}, {}, {}, {}
    for number, row in rows:
        before = len(errors)
        season = _season(row, seasons, number, errors)
        length = queries.season_length(season) if season else None
        building = buildings.get(row["building_code"])
        unit_id = flats.get((row["building_code"], row["scala"], row["interno"]))
        if building is None:
            errors.append(problem(number, "building_code", _l("unknown building %(value)s",
                                                              value=row["building_code"])))
        elif unit_id is None:
            errors.append(problem(number, "interno", _l("unknown flat: building %(building)s scala %(scala)s "
                                                        "interno %(interno)s", building=row["building_code"],
                                                        scala=row["scala"] or "-", interno=row["interno"])))
        values = _numbers(row, {"millesimi": "millesimi", "units": "units"}, number, errors)
        estimated = _flag(row["estimated"])
        if estimated is None:
            errors.append(problem(number, "estimated", _l("expected 0/1 or si/no, not %(value)s",
                                                          value=row["estimated"])))
        try:
            occupied = int(bounds.parse("days_occupied", row["days_occupied"]))
        except bounds.BoundError as error:
            occupied = None
            errors.append(problem(number, "days_occupied", error.problem))
        if occupied is not None and length and occupied > length:
            errors.append(problem(number, "days_occupied", _l("%(days)s days is over the season's %(length)s",
                                                              days=occupied, length=length)))
        _household(row, number, unit_id, occupied, length, registry, errors)
        flat = (row["season"], row["building_code"], row["scala"], row["interno"])
        occupant = (*flat, row["household_code"])
        if occupant in seen:
            errors.append(problem(number, "household_code", _l(
                "the same flat and household already on row %(row)s", row=seen[occupant])))
        seen.setdefault(occupant, number)
        if "millesimi" in values:
            first = millesimi.setdefault(flat, (values["millesimi"], number))
            if first[0] != values["millesimi"]:
                errors.append(problem(number, "millesimi", _l(
                    "%(value)s differ from %(first)s on row %(row)s for the same flat", value=row["millesimi"],
                    first=first[0], row=first[1])))
        if occupied is not None:
            days[flat] = days.get(flat, 0) + occupied
            if length and days[flat] > length:
                errors.append(problem(number, "days_occupied", _l(
                    "the flat's households add up to %(days)s days, over the season's %(length)s",
                    days=days[flat], length=length)))
        if len(errors) == before:
            present.setdefault((row["season"], building["id"]), set()).add(unit_id)
            first_row.setdefault((row["season"], building["id"]), number)
            clean.append({"season": row["season"], "building_id": building["id"], "unit_id": unit_id,
                          "household_code": row["household_code"] or None,
                          "millesimi": bounds.text(values["millesimi"]),
                          "units": bounds.text(values["units"]), "estimated": estimated,
                          "days_occupied": occupied, "imported_at": now()})
    _whole_buildings(present, millesimi, first_row, errors)
    if errors:
        raise HeatingImportError(errors)
    occupants = queries.active_households()
    for row in clean:
        # No code in the file: the household living in the flat now.
        row["household_code"] = row["household_code"] or occupants.get(row["unit_id"])
    with db.atomic():
        for season, building_id in present:
            db.execute("DELETE FROM heating_readings WHERE season = ? AND building_id = ?", [season, building_id])
        db["heating_readings"].insert_all(clean)
    return len(clean), len(present)


def _whole_buildings(present, millesimi, first_row, errors):
    """Every flat of a building in the file, and its millesimi adding up to 1,000."""
    for (season, building_id), units in sorted(present.items()):
        flats = queries.units_of_building(building_id)
        for flat in flats:
            if flat["id"] not in units:
                errors.append((0, _l("flat missing from the file: building %(building)s scala %(scala)s interno "
                                     "%(interno)s (%(season)s)", building=flat["building_code"],
                                     scala=flat["scala"] or "-", interno=flat["interno"], season=season)))
        if flats and len(units) == len(flats):
            code = flats[0]["building_code"]
            shares = [m for (s, b, _sc, _i), (m, _n) in millesimi.items() if s == season and b == code]
            try:
                bounds.total("millesimi", sum(shares))
            except bounds.BoundError as error:
                errors.append(problem(first_row[(season, building_id)], "millesimi", _l(
                    "building %(building)s (%(season)s): %(problem)s", building=code, season=season,
                    problem=error.problem)))


def import_household_data(raw):
    """ISEE and solidarity already paid for heating, one row per household and season; returns rows written."""
    db = get_db()
    rows = _rows(raw, ["household_code", "season", "isee", "solidarity"], HOUSEHOLD_COLUMNS)
    seasons = {s["code"]: s for s in queries.seasons()}
    known = queries.household_codes()
    errors, clean, seen = [], [], {}
    for number, row in rows:
        before = len(errors)
        _season(row, seasons, number, errors)
        if row["household_code"] not in known:
            errors.append(problem(number, "household_code", _l("unknown household %(value)s",
                                                               value=row["household_code"][:40])))
        key = (row["household_code"], row["season"])
        if key in seen:
            errors.append(problem(number, "household_code", _l(
                "%(code)s already has a row for %(season)s: row %(row)s (one row per household and season)",
                code=key[0][:40], season=key[1], row=seen[key])))
        seen.setdefault(key, number)
        values = {}
        for column, bound in (("isee", "isee"), ("solidarity", "amount")):
            try:
                values[column] = bounds.cents(bound, row[column], required=False)
            except bounds.BoundError as error:
                errors.append(problem(number, column, error.problem))
        if len(errors) == before:
            clean.append({"household_code": row["household_code"], "season": row["season"],
                          "isee_cents": values["isee"], "solidarity_cents": values["solidarity"] or 0,
                          "updated_at": now()})
    if errors:
        raise HeatingImportError(errors)
    with db.atomic():
        db["heating_household_data"].upsert_all(clean, pk=("household_code", "season"))
    return len(clean)


def degree_days_from_temperatures(raw, season):
    """HDD base 20 C over the season's days from a `date;mean_temperature` CSV: sum of max(0, 20 - T)."""
    rows = _rows(raw, ["date", "mean_temperature"], {"data": "date", "temperatura_media": "mean_temperature"})
    errors, total, seen = [], Decimal(0), set()
    for number, row in rows:
        day = row["date"]
        try:
            day = date.fromisoformat(day).isoformat()
        except ValueError:
            errors.append(problem(number, "date", _l("a date as YYYY-MM-DD is required, not %(value)s",
                                                     value=day[:40])))
            continue
        try:
            temperature = bounds.parse("temperature", row["mean_temperature"])
        except bounds.BoundError as error:
            errors.append(problem(number, "mean_temperature", error.problem))
            continue
        if day in seen:
            errors.append(problem(number, "date", _l("%(day)s repeated", day=day)))
        seen.add(day)
        if season["starts_on"] <= day <= season["ends_on"]:
            total += max(0, 20 - temperature)
    missing = queries.season_length(season) - len([d for d in seen if season["starts_on"] <= d <= season["ends_on"]])
    if missing:
        errors.append((0, _l("%(n)s day(s) of the season have no temperature", n=missing)))
    if not errors:
        try:
            bounds.check("degree_days", total)
        except bounds.BoundError as error:
            errors.append((0, _l("degree-days from the temperatures: %(problem)s", problem=error.problem)))
    if errors:
        raise HeatingImportError(errors)
    return total
