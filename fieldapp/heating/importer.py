"""Import the season's building bills, the reading company's file and household ISEE/solidarity data.

Same file habits as the registry import (`;` or `,`, UTF-8 or Excel's Windows-1252, Italian or English
headers, decimal comma or point). Every row is validated first: one problem means nothing is written.
"""
from datetime import date
from decimal import Decimal, InvalidOperation

from fieldapp.csvfiles import NO, YES, FileRefused, decode, read_rows
from fieldapp.db import get_db, now
from fieldapp.heating import queries
from fieldapp.heating.rules import MIN_VOLUNTARY_SHARE, cents

BILL_COLUMNS = {"codice_stabile": "building_code", "stagione": "season", "euro_mwh": "eur_per_mwh",
                "quota_fissa_euro": "fixed_eur", "quota_volontaria": "voluntary_share"}
READING_COLUMNS = {"codice_stabile": "building_code", "stagione": "season", "unita": "units",
                   "stimata": "estimated", "giorni_occupazione": "days_occupied", "codice_nucleo": "household_code"}
HOUSEHOLD_COLUMNS = {"codice_nucleo": "household_code", "stagione": "season",
                     "solidarieta_riscaldamento": "solidarity", "solidarietà_riscaldamento": "solidarity"}


class HeatingImportError(FileRefused):
    """The file cannot be imported; `errors` lists (row number, reason)."""


def decimal(value):
    """'1.234,5' / '1234.5' / '1234,5' -> Decimal; ValueError when it is not a number."""
    text = value.replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def _rows(raw, columns, aliases, optional=()):
    try:
        return read_rows(decode(raw), columns=columns, optional=optional, aliases=aliases)
    except FileRefused as error:
        raise HeatingImportError(error.errors) from None


def _numbers(row, names, number, errors):
    out = {}
    for name in names:
        try:
            out[name] = decimal(row[name])
        except ValueError:
            errors.append((number, f"{name}: not a number: {row[name]!r}"))
    return out


def _season(row, seasons, number, errors):
    if row["season"] not in seasons:
        errors.append((number, f"unknown season {row['season']!r} (expected one of {', '.join(seasons)})"))
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
            errors.append((number, f"unknown building {row['building_code']!r}"))
        key = (row["building_code"], row["season"])
        if key in seen:
            errors.append((number, f"building {key[0]} already billed for {key[1]} on row {seen[key]}"))
        seen.setdefault(key, number)
        values = _numbers(row, ["mwh", "eur_per_mwh", "fixed_eur", "voluntary_share"], number, errors)
        for name in ("mwh", "eur_per_mwh", "fixed_eur"):
            if name in values and values[name] < 0:
                errors.append((number, f"{name} is negative: {row[name]}"))
        alpha = values.get("voluntary_share")
        if alpha is not None and not MIN_VOLUNTARY_SHARE <= alpha <= 1:
            errors.append((number, f"voluntary_share must be from 0.5 to 1 (D.Lgs 102/2014 art. 9), got {alpha}"))
        if len(errors) == before:
            clean.append({"season": row["season"], "building_id": building["id"], "imported_at": now(),
                          **{k: str(v) for k, v in values.items()}})
    if errors:
        raise HeatingImportError(errors)
    with db.atomic():
        db["heating_bills"].upsert_all(clean, pk=("season", "building_id"))
    return len(clean)


def _flag(value):
    value = value.strip().lower()
    return 1 if value in YES else 0 if value in NO else None


def import_readings(raw):
    """Allocator readings, whole buildings at a time; returns (rows, buildings) written."""
    db = get_db()
    rows = _rows(raw, ["building_code", "season", "scala", "interno", "millesimi", "units", "estimated",
                       "days_occupied"], READING_COLUMNS, optional=["household_code"])
    seasons = {s["code"]: s for s in queries.seasons()}
    buildings = queries.buildings_by_code()
    flats = queries.units_by_flat()
    errors, clean = [], []
    millesimi, days, present, seen = {}, {}, {}, {}
    for number, row in rows:
        before = len(errors)
        season = _season(row, seasons, number, errors)
        building = buildings.get(row["building_code"])
        unit_id = flats.get((row["building_code"], row["scala"], row["interno"]))
        if building is None:
            errors.append((number, f"unknown building {row['building_code']!r}"))
        elif unit_id is None:
            errors.append((number, f"unknown flat: building {row['building_code']} scala {row['scala'] or '-'} "
                                   f"interno {row['interno']}"))
        values = _numbers(row, ["millesimi", "units"], number, errors)
        if values.get("units", 0) < 0:
            errors.append((number, f"negative units: {row['units']}"))
        if values.get("millesimi", 1) <= 0:
            errors.append((number, f"millesimi must be above 0, got {row['millesimi']}"))
        estimated = _flag(row["estimated"])
        if estimated is None:
            errors.append((number, f"estimated: expected 0/1 or si/no, got {row['estimated']!r}"))
        if not row["days_occupied"].isdigit():
            errors.append((number, f"days_occupied must be a whole number, got {row['days_occupied']!r}"))
        elif season and int(row["days_occupied"]) > queries.season_length(season):
            errors.append((number, f"days_occupied {row['days_occupied']} is over the season's "
                                   f"{queries.season_length(season)} days"))
        flat = (row["season"], row["building_code"], row["scala"], row["interno"])
        occupant = (*flat, row["household_code"])
        if occupant in seen:
            errors.append((number, f"the same flat and household already on row {seen[occupant]}"))
        seen.setdefault(occupant, number)
        if "millesimi" in values:
            first = millesimi.setdefault(flat, (values["millesimi"], number))
            if first[0] != values["millesimi"]:
                errors.append((number, f"millesimi {values['millesimi']} differ from {first[0]} on row {first[1]} "
                                       "for the same flat"))
        if row["days_occupied"].isdigit():
            days[flat] = days.get(flat, 0) + int(row["days_occupied"])
            if season and days[flat] > queries.season_length(season):
                errors.append((number, f"the flat's households add up to {days[flat]} days, over the season's "
                                       f"{queries.season_length(season)}"))
        if len(errors) == before:
            present.setdefault((row["season"], building["id"]), set()).add(unit_id)
            clean.append({"season": row["season"], "building_id": building["id"], "unit_id": unit_id,
                          "household_code": row["household_code"] or None, "millesimi": str(values["millesimi"]),
                          "units": str(values["units"]), "estimated": estimated,
                          "days_occupied": int(row["days_occupied"]), "imported_at": now()})
    for (season, building_id), units in sorted(present.items()):
        for flat in queries.units_of_building(building_id):
            if flat["id"] not in units:
                errors.append((0, f"flat missing from the file: building {flat['building_code']} scala "
                                  f"{flat['scala'] or '-'} interno {flat['interno']} ({season})"))
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


def import_household_data(raw):
    """ISEE and solidarity already paid for heating, per household and season; returns rows written."""
    db = get_db()
    rows = _rows(raw, ["household_code", "season", "isee", "solidarity"], HOUSEHOLD_COLUMNS)
    seasons = {s["code"]: s for s in queries.seasons()}
    known = queries.household_codes()
    errors, clean = [], []
    for number, row in rows:
        before = len(errors)
        _season(row, seasons, number, errors)
        if row["household_code"] not in known:
            errors.append((number, f"unknown household {row['household_code']!r}"))
        values = _numbers(row, [n for n in ("isee", "solidarity") if row[n]], number, errors)
        if any(v < 0 for v in values.values()):
            errors.append((number, "amounts cannot be negative"))
        if len(errors) == before:
            clean.append({"household_code": row["household_code"], "season": row["season"],
                          "isee_cents": cents(values["isee"]) if "isee" in values else None,
                          "solidarity_cents": cents(values.get("solidarity", Decimal(0))), "updated_at": now()})
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
            errors.append((number, f"date must be YYYY-MM-DD, got {day!r}"))
            continue
        try:
            temperature = decimal(row["mean_temperature"])
        except ValueError:
            errors.append((number, f"mean_temperature: not a number: {row['mean_temperature']!r}"))
            continue
        if day in seen:
            errors.append((number, f"date {day} repeated"))
        seen.add(day)
        if season["starts_on"] <= day <= season["ends_on"]:
            total += max(Decimal(0), Decimal(20) - temperature)
    missing = queries.season_length(season) - len([d for d in seen if season["starts_on"] <= d <= season["ends_on"]])
    if missing:
        errors.append((0, f"{missing} day(s) of the season have no temperature"))
    if errors:
        raise HeatingImportError(errors)
    return total
