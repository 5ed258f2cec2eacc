"""Import the registry from the CSV files housing offices really produce.

One row per flat: the building it is in, the flat itself, and the household living there
(household columns empty for a vacant flat). Separators `;` `,` or tab; UTF-8 (with or
without BOM) or Latin-1/Windows-1252 from Excel; decimal commas in coordinates.
Every row is validated before anything is written: one error means nothing is imported.
"""
from dataclasses import dataclass, field

from fieldapp import bounds
from fieldapp.csvfiles import NO, YES, FileRefused, decode, read_rows
from fieldapp.db import get_db
from fieldapp.fields import whole_number

COLUMNS = [
    "building_code", "address", "quartiere", "presidio", "lat", "lon", "owner", "district_heating",
    "scala", "piano", "interno", "household_code", "members", "arrears_band", "heating_eligible",
]
# Optional columns (absent from older files) and the Italian headers accepted for them.
OPTIONAL = ["area_m2"]
ALIASES = {"superficie_m2": "area_m2"}
REQUIRED = {"building_code", "address", "quartiere", "lat", "lon", "owner", "interno"}
BANDS = {"none", "upto_500", "500_2000", "over_2000"}
# Mainland Italy and the islands, with a margin.
ITALY = (35.2, 47.2, 6.5, 18.6)


@dataclass
class Counts:
    buildings: int = 0
    units: int = 0
    households: int = 0
    rows: int = 0
    seen: dict = field(default_factory=dict)


def _number(bound, value):
    """A figure of the file, with a decimal comma or point, through fieldapp.bounds (BoundError is a ValueError)."""
    return float(bounds.parse(bound, value))


def _flag(value, name, errors, number):
    value = value.lower()
    if value in YES:
        return 1
    if value in NO:
        return 0
    errors.append((number, f"{name}: expected si/no, got {value!r}"))
    return 0


def validate(rows, quartieri, presidi):
    """Check every row; return clean rows or raise FileRefused with all the problems found."""
    errors, clean = [], []
    by_name = {q["name"].lower(): q["id"] for q in quartieri}
    ids = {q["id"] for q in quartieri}
    households, flats, buildings = {}, {}, {}
    for number, row in rows:
        before = len(errors)
        for name in REQUIRED:
            if not row[name]:
                errors.append((number, f"{name} is empty"))
        quartiere = row["quartiere"]
        quartiere_id = whole_number(quartiere) if quartiere.isdigit() else by_name.get(quartiere.lower())
        if quartiere and quartiere_id not in ids:
            errors.append((number, f"unknown quartiere {quartiere!r}"))
        if row["presidio"] and row["presidio"] not in presidi:
            errors.append((number, f"unknown presidio {row['presidio']!r}"))
        try:
            lat, lon = _number("latitude", row["lat"]), _number("longitude", row["lon"])
            if not (ITALY[0] <= lat <= ITALY[1] and ITALY[2] <= lon <= ITALY[3]):
                errors.append((number, f"coordinates {lat}, {lon} are outside Italy (latitude first?)"))
        except ValueError:
            if row["lat"] and row["lon"]:
                errors.append((number, f"coordinates are not numbers: {row['lat']!r}, {row['lon']!r}"))
            lat = lon = None
        owner = row["owner"].lower()
        if owner and owner not in ("comune", "aler"):
            errors.append((number, f"owner must be comune or aler, got {row['owner']!r}"))
        heating = _flag(row["district_heating"], "district_heating", errors, number)
        building = (row["address"], quartiere_id, owner, heating)
        if buildings.setdefault(row["building_code"], building) != building:
            errors.append((number, f"building {row['building_code']} differs from its earlier rows"))
        flat = (row["building_code"], row["scala"], row["interno"])
        if flat in flats:
            errors.append((number, f"flat scala {row['scala'] or '-'} interno {row['interno']} "
                                   f"already on row {flats[flat]}"))
        flats.setdefault(flat, number)
        area = None
        if row["area_m2"]:
            try:
                area = _number("area_m2", row["area_m2"])
            except ValueError:
                area = -1
            if not 5 <= area <= 1000:
                errors.append((number, f"area_m2 must be a floor area from 5 to 1000 m2, got {row['area_m2']!r}"))
        household = None
        if row["household_code"]:
            code = row["household_code"]
            if code in households:
                errors.append((number, f"household code {code} already on row {households[code]}"))
            households.setdefault(code, number)
            members = row["members"]
            try:
                size = int(bounds.parse("members", members))
            except bounds.BoundError:
                size = 0
                errors.append((number, f"members must be a whole number from 1 to 20, got {members[:40]!r}"))
            band = row["arrears_band"] or "none"
            if band not in BANDS:
                errors.append((number, f"arrears_band must be one of {', '.join(sorted(BANDS))}, got {band!r}"))
            eligible = _flag(row["heating_eligible"], "heating_eligible", errors, number)
            household = {"code": code, "members": size,
                         "arrears_band": band, "heating_eligible": eligible}
        if len(errors) == before:
            clean.append({
                "building": {"code": row["building_code"], "address": row["address"],
                             "quartiere_id": quartiere_id, "presidio_code": row["presidio"] or None,
                             "lat": lat, "lon": lon, "owner": owner, "district_heating": heating},
                "unit": {"scala": row["scala"], "piano": row["piano"], "interno": row["interno"],
                         **({"area_m2": area} if area else {})},
                "household": household,
            })
    if errors:
        raise FileRefused(errors)
    return clean


def import_registry(raw):
    """Validate the whole file, then write it in one transaction. Returns Counts."""
    db = get_db()
    rows = read_rows(decode(raw), COLUMNS, OPTIONAL, ALIASES)
    quartieri = list(db.query("SELECT id, name FROM quartieri"))
    presidi = {p["code"] for p in db.query("SELECT code FROM presidi")}
    clean = validate(rows, quartieri, presidi)
    counts = Counts(rows=len(clean))
    with db.atomic():
        for row in clean:
            building_id = _upsert_building(db, row["building"], counts)
            unit_id = _upsert_unit(db, building_id, row["unit"], counts)
            if row["household"]:
                _upsert_household(db, unit_id, row["household"], counts)
    return counts


def _upsert_building(db, building, counts):
    existing = next(db.query("SELECT id FROM buildings WHERE code = ?", [building["code"]]), None)
    if existing:
        db["buildings"].update(existing["id"], building)
        return existing["id"]
    counts.buildings += 1
    return db["buildings"].insert(building).last_pk


def _upsert_unit(db, building_id, unit, counts):
    existing = next(db.query(
        "SELECT id FROM units WHERE building_id = ? AND scala = ? AND interno = ?",
        [building_id, unit["scala"], unit["interno"]],
    ), None)
    if existing:
        db["units"].update(existing["id"], {k: v for k, v in unit.items() if k in ("piano", "area_m2")})
        return existing["id"]
    counts.units += 1
    return db["units"].insert({"building_id": building_id, **unit}).last_pk


def _upsert_household(db, unit_id, household, counts):
    existing = next(db.query("SELECT id FROM households WHERE code = ?", [household["code"]]), None)
    # A flat holds one household: whoever lived there before is no longer active in it.
    db.execute("UPDATE households SET active = 0 WHERE unit_id = ? AND code != ?",
               [unit_id, household["code"]])
    if existing and _band_from_ledger(db, existing["id"]):
        # Once the arrears ledger has the household, its band comes from there only.
        household = {k: v for k, v in household.items() if k != "arrears_band"}
    if existing:
        db["households"].update(existing["id"], {"unit_id": unit_id, "active": 1, **household})
    else:
        counts.households += 1
        db["households"].insert({"unit_id": unit_id, "active": 1, **household})


def _band_from_ledger(db, household_id):
    return "ledger_months" in db.table_names() and db.execute(
        "SELECT 1 FROM ledger_months WHERE household_id = ? LIMIT 1", [household_id]).fetchone() is not None
