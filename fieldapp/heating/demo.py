"""Invented heating data for the 172 district-heated flats: bills and readings for three seasons.

Shaped to show every case: three estimated readings in 2025-26, one faulty allocator (near-zero
units in 2025-26), and one flat whose household changed during 2024-25 (the tenant who left,
DEMO-BLO-900, is no longer in the registry): both its households are settled pro rata by days.
Built from its own seed, so it never shifts other areas.
"""
import json
import random
from decimal import Decimal
from types import SimpleNamespace

from fieldapp.heating import acts, importer, queries, workflow
from fieldapp.heating.compute import compute

SEASONS = {"2023-24": (2150, 150, 184), "2024-25": (2300, 162, 183), "2025-26": (2240, 158, 183)}
LEFT = "DEMO-BLO-900"  # moved out mid-2024-25
ESTIMATED = 3
# The 2024-25 determina (number, date) and the day the tenants' accounts were credited.
DETERMINA = ("1187/2025", "2025-06-20", "2025-07-01")


def _flats(db):
    return list(db.query(
        """SELECT u.id, u.scala, u.interno, u.area_m2, b.id AS building_id, b.code AS building_code,
                  h.code AS household_code
           FROM units u JOIN buildings b ON b.id = u.building_id
           LEFT JOIN households h ON h.unit_id = u.id AND h.active = 1
           WHERE b.district_heating = 1 ORDER BY b.code, u.id"""))


def _millesimi(areas):
    """Whole millesimi proportional to the areas, adding up to exactly 1,000 (largest remainder)."""
    total = sum(areas)
    raw = [a * 1000 / total for a in areas]
    whole = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: whole[i] - raw[i])[: 1000 - sum(whole)]:
        whole[i] += 1
    return whole


def plan(db):
    """Bills and readings CSV text per season (deterministic), for the demo and the browser test."""
    rng = random.Random(172)
    flats = _flats(db)
    buildings = {}
    for flat in flats:
        buildings.setdefault(flat["building_code"], []).append(flat)
    habits = {f["id"]: rng.uniform(0.75, 1.25) for f in flats}  # how warm each household keeps its flat
    building_factor = {code: rng.uniform(48, 60) for code in buildings}  # Wh/m2 per degree-day
    files = {}
    for season, (degree_days, price, length) in SEASONS.items():
        bills = ["codice_stabile;stagione;mwh;euro_mwh;quota_fissa_euro;quota_volontaria"]
        readings = ["codice_stabile;stagione;scala;interno;millesimi;unita;stimata;giorni_occupazione;codice_nucleo"]
        estimated = 0
        for code, members in buildings.items():
            area = sum(f["area_m2"] for f in members)
            weather = rng.uniform(0.97, 1.03)
            mwh = Decimal(area * building_factor[code] * degree_days * weather / 1_000_000).quantize(Decimal("0.1"))
            fixed = Decimal(area * 2).quantize(Decimal(1))
            bills.append(f"{code};{season};{str(mwh).replace('.', ',')};{price};{fixed};0,6")
            for flat, millesimi in zip(members, _millesimi([f["area_m2"] for f in members]), strict=True):
                units = int(flat["area_m2"] * degree_days * habits[flat["id"]] * rng.uniform(0.92, 1.08) / 100)
                stimata = "no"
                if (season == "2025-26" and code.startswith("B05") and estimated < ESTIMATED
                        and flat["interno"] in ("3", "8", "13")):
                    stimata, estimated = "sì", estimated + 1
                if season == "2025-26" and code == "B16-02" and flat["interno"] == "5":
                    units = 4  # the faulty allocator
                row = f"{code};{season};{flat['scala']};{flat['interno']};{millesimi};{units};{stimata}"
                if code == "B05-01" and flat["interno"] == "2" and season != "2025-26":
                    if season == "2023-24":
                        readings.append(f"{row};{length};{LEFT}")
                        continue
                    readings.append(f"{row.rsplit(';', 2)[0]};{units * 90 // length};{stimata};90;{LEFT}")
                    readings.append(f"{row.rsplit(';', 2)[0]};{units * 93 // length};{stimata};93;"
                                    f"{flat['household_code']}")
                    continue
                readings.append(f"{row};{length};{flat['household_code']}")
        files[season] = ("\n".join(bills) + "\n", "\n".join(readings) + "\n")
    return files


def household_data(db):
    """ISEE for most eligible households, solidarity already paid for heating for a few."""
    rng = random.Random(9360)
    lines = ["codice_nucleo;stagione;isee;solidarieta_riscaldamento"]
    for flat in _flats(db):
        for season in ("2024-25", "2025-26"):
            if rng.random() < 0.9:
                solidarity = rng.choice(["0", "0", "0", "0", "0", "0", "0", "120,00", "250,00"])
                lines.append(f"{flat['household_code']};{season};{rng.randint(3000, 22000)},00;{solidarity}")
    return "\n".join(lines) + "\n"


def _user(db, username):
    row = next(db.query("SELECT id, username FROM users WHERE username = ?", [username]))
    return SimpleNamespace(**row)


def load(db, rng):
    """Floor areas, three seasons of bills and readings, household data; 2024-25 computed, its two
    households who moved settled pro rata, approved, put in a determina and credited into the ledger."""
    area_rng = random.Random(1560)
    for flat in _flats(db):
        db["units"].update(flat["id"], {"area_m2": area_rng.choice([45, 55, 60, 65, 70, 75, 80, 90, 95])})
    for bills, readings in plan(db).values():
        importer.import_bills(bills.encode())
        importer.import_readings(readings.encode())
    importer.import_household_data(household_data(db).encode())
    equipe = _user(db, "equipe")
    version, _counts = compute("2024-25", user_id=equipe.id)
    latest = queries.latest_version("2024-25")
    for row in queries.contributions(latest["id"], status="to_check"):
        if json.loads(row["inputs"]).get("case") in ("moved", "not_in_registry"):
            workflow.settle(row, "pro_rata", "Cambio di inquilino il 13/01/2025: giorni da contratto e verbale di "
                                             "consegna delle chiavi.", equipe)
    workflow.move("2024-25", "review")
    workflow.move("2024-25", "approve")
    acts.open_act("2024-25", DETERMINA[0], DETERMINA[1], equipe)
    acts.credit("2024-25", DETERMINA[2], None, None, equipe)
    counts = queries.status_counts(latest["id"])
    paid = db.execute("SELECT COUNT(DISTINCT household_code), SUM(amount_cents) FROM heating_ledger").fetchone()
    return [f"Heating: 172 flats, bills and readings for {len(SEASONS)} seasons; 2024-25 version {version} "
            f"credited ({counts}): determina n. {DETERMINA[0]} of {DETERMINA[1]}, {paid[0]} households, "
            f"{paid[1] / 100:.2f} EUR in the ledger."]
