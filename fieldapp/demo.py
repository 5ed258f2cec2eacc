"""A deterministic, invented data set shaped like Cremona's programme (see shared/context/cremona.md).

558 flats in 12 of 16 quartieri; 172 on district heating (62 centre, 110 Borgo Loreto); 45% of
flats in Borgo Loreto plus the Largo Pagliari / via Altobello Melone complex; arrears giving 34.2%
above 500 EUR and 25% in (0, 2,000]. Households are codes such as DEMO-BLO-042: nobody real.
Each area adds its own demo records through its declaration (`Area.demo`: load(db, rng) -> [lines]).
"""
import random

import click
from flask import current_app
from flask.cli import with_appcontext

from fieldapp.area import installed
from fieldapp.auth.api import create_user
from fieldapp.db import get_db

DEMO_PASSWORD = "demo-cortile"

QUARTIERI = [
    (1, "Risorgimento – S. Ambrogio – Incrociatello – via Sesto"), (2, "Boschetto – Migliaro"),
    (3, "Cavatigozzi – Picenengo – San Pedrengo"), (4, "Cambonino"), (5, "Borgo Loreto – San Bernardo"),
    (6, "Zaist – Annona – Lucchini – Stadio"), (7, "Maristella"), (8, "Quartiere 8"),
    (9, "Giordano – Cadore"), (10, "Po – Parco Canottieri – Trebbia"),
    (11, "Cascinetto – Villetta – Concordia"), (12, "Quartiere 12"), (13, "Porta Romana – Largo Pagliari"),
    (14, "San Felice – San Savino"), (15, "Bagnara – Battaglione – Gerre Borghi"), (16, "Centro"),
]

PRESIDI = [
    ("P-CEN", "Presidio Centro", 16, "Presidio demo, Centro"),
    ("P-BLO", "Presidio Borgo Loreto", 5, "Presidio demo, Borgo Loreto"),
    ("P-PAG", "Presidio Largo Pagliari", 13, "Presidio demo, Largo Pagliari"),
    ("P-SFE", "Presidio San Felice", 14, "Presidio demo, San Felice"),
]

# (quartiere, presidio, approximate centre, [(street, flats per building, district heating, pilot area)])
BUILDINGS = [
    (16, "P-CEN", (45.1334, 10.0245), [("Via del Demo", 20, 1, None), ("Via del Demo", 21, 1, None),
                                        ("Vicolo Esempio", 21, 1, None), ("Via Prova", 15, 0, None),
                                        ("Via Prova", 15, 0, None)]),
    (5, "P-BLO", (45.147, 10.036), [("Via Sardagna", 22, 1, "borgo_loreto")] * 5
        + [("Via Immaginaria", 20, 0, "borgo_loreto"), ("Via Immaginaria", 20, 0, "borgo_loreto"),
           ("Via Fantasia", 21, 0, "borgo_loreto")]),
    (13, "P-PAG", (45.128, 10.033), [("Largo Pagliari", 40, 0, "pagliari"),
                                     ("Via Altobello Melone", 40, 0, "pagliari")]),
    (9, "P-PAG", (45.131, 10.041), [("Via Cadore", 12, 0, None), ("Via Cadore", 12, 0, None)]),
    (15, "P-PAG", (45.121, 10.012), [("Via Esempio Sud", 12, 0, None), ("Via Esempio Sud", 12, 0, None)]),
    (1, "P-CEN", (45.141, 10.018), [("Via Finta", 13, 0, None), ("Via Finta", 12, 0, None)]),
    (2, "P-CEN", (45.144, 10.001), [("Via Campione", 13, 0, None), ("Via Campione", 12, 0, None)]),
    (4, "P-BLO", (45.152, 10.015), [("Via Modello", 12, 0, None), ("Via Modello", 12, 0, None)]),
    (6, "P-BLO", (45.146, 10.052), [("Via Ipotesi", 12, 0, None), ("Via Ipotesi", 12, 0, None)]),
    (7, "P-BLO", (45.139, 10.058), [("Via Simulata", 12, 0, None), ("Via Simulata", 12, 0, None)]),
    (14, "P-SFE", (45.126, 10.072), [("Via Allende", 13, 0, None), ("Via Caudana", 12, 0, None)]),
    (3, "P-SFE", (45.145, 9.957), [("Via Fittizia", 10, 0, None), ("Via Fittizia", 10, 0, None)]),
]

# 558 households: 111 over 2,000, 80 in 500-2,000, 60 up to 500 EUR, 307 none.
ARREARS = ["over_2000"] * 111 + ["500_2000"] * 80 + ["upto_500"] * 60 + ["none"] * 307

USERS = [
    # (username, display name, role, presidio)
    ("tutor.centro", "Tutor Demo Centro", "tutor", "P-CEN"),
    ("tutor.centro2", "Tutor Demo Centro 2", "tutor", "P-CEN"),
    ("tutor.loreto", "Tutor Demo Loreto", "tutor", "P-BLO"),
    ("tutor.loreto2", "Tutor Demo Loreto 2", "tutor", "P-BLO"),
    ("tutor.pagliari", "Tutor Demo Pagliari", "tutor", "P-PAG"),
    ("tutor.sanfelice", "Tutor Demo San Felice", "tutor", "P-SFE"),
    ("operatore", "Operatore Demo Parti Comuni", "operator", None),
    ("community", "Community Manager Demo", "community", "P-BLO"),
    ("coordinatrice", "Coordinatrice Demo", "coordinator", None),
    ("equipe", "Tutor Finanziario Demo", "equipe", None),
    ("educatore", "Educatore Demo", "educator", "P-BLO"),
    ("aler", "Ufficio ALER Demo", "aler", None),
    ("admin", "Amministratore Demo", "admin", None),
]


def has_data(db=None):
    db = db or get_db()
    return bool(db["quartieri"].count or db["users"].count)


def load(db=None):
    """Write the demo set in one transaction and return summary lines, including the logins."""
    db = db or get_db()
    rng = random.Random(2015)  # the year the tutor service began
    summary = []
    with db.atomic():
        db["quartieri"].insert_all([{"id": i, "name": n} for i, n in QUARTIERI])
        db["presidi"].insert_all([{"code": c, "name": n, "quartiere_id": q, "address": a}
                                  for c, n, q, a in PRESIDI])
        users = {}
        for username, name, role, presidio in USERS:
            users[username] = (create_user(username, name, role, DEMO_PASSWORD, presidio, db=db,
                                           email=f"{username}@example.org"), role, presidio)
        summary += _registry(db, rng, users)
        for area in installed(current_app):
            if area.demo:
                summary += area.demo(db, rng) or []
    return summary + logins()


def logins():
    """The demo accounts, printed by `make run`."""
    return ["", f"Demo logins (password for all: {DEMO_PASSWORD}):"] + [
        f"  {username:<16} {role:<12} {presidio or ''}" for username, _name, role, presidio in USERS
    ]


def _registry(db, rng, users):
    arrears = ARREARS[:]
    rng.shuffle(arrears)
    tutors = {}
    for user_id, role, presidio in users.values():
        if role == "tutor":
            tutors.setdefault(presidio, []).append(user_id)
    number = 0
    for quartiere, presidio, (lat, lon), streets in BUILDINGS:
        for civic, (street, flats, heating, pilot) in enumerate(streets, start=1):
            code = f"B{quartiere:02d}-{civic:02d}"
            house_number = {"Largo Pagliari": 13, "Via Altobello Melone": 22}.get(street, civic * 2 + 1)
            building_id = db["buildings"].insert({
                "code": code, "address": f"{street} {house_number}", "quartiere_id": quartiere,
                "presidio_code": presidio, "owner": "aler" if quartiere == 7 else "comune",
                "lat": round(lat + rng.uniform(-0.003, 0.003), 6),
                "lon": round(lon + rng.uniform(-0.004, 0.004), 6),
                "district_heating": heating, "pilot_area": pilot,
            }).last_pk
            for flat in range(flats):
                scala = "AB"[flat % 2] if flats > 14 else ""
                unit_id = db["units"].insert({
                    "building_id": building_id, "scala": scala, "piano": str(flat // 4),
                    "interno": str(flat + 1),
                }).last_pk
                number += 1
                db["households"].insert({
                    "code": f"DEMO-{presidio[2:]}-{number:03d}", "unit_id": unit_id,
                    "members": rng.choice([1, 1, 1, 2, 2, 2, 3, 3, 4, 5]),
                    "tutor_id": tutors[presidio][number % len(tutors[presidio])],
                    "arrears_band": arrears.pop(), "heating_eligible": heating, "active": 1,
                })
    counts = next(db.query(
        """SELECT COUNT(*) AS flats, SUM(b.district_heating) AS heated,
                  SUM(b.pilot_area IS NOT NULL) AS pilot,
                  COUNT(DISTINCT b.quartiere_id) AS quartieri FROM units u JOIN buildings b ON b.id = u.building_id"""
    ))
    return [f"Registry: {counts['flats']} flats in {counts['quartieri']} quartieri, "
            f"{counts['heated']} on district heating, {counts['pilot']} in the pilot areas."]


@click.group("demo", help="Invented demo data shaped like Cremona's programme.")
def demo_cli():
    pass


@demo_cli.command("load", help="Load the deterministic demo data set into an empty database.")
@with_appcontext
def demo_load_command():
    if has_data():
        click.echo("The database already has data: nothing loaded.")
        summary = logins()
    else:
        summary = load()
    for line in summary:
        click.echo(line)
