"""Heating imports and forms refuse what cannot be true: a 422 naming the row, the column or the field,
and nothing stored. The CLI says the same and exits 1, never with a traceback."""
import io
from datetime import date, timedelta

import pytest

from fieldapp.heating.demo import plan

TABLES = ("heating_bills", "heating_readings", "heating_household_data", "heating_seasons")
HOUSEHOLD_HEADER = "codice_nucleo;stagione;isee;solidarieta_riscaldamento"


def snapshot(db):
    return {t: list(db.query(f"SELECT * FROM {t} ORDER BY 1, 2")) for t in TABLES}


def upload(client, kind, text):
    return client.post(f"/heating/import/{kind}", data={"file": (io.BytesIO(text.encode()), "f.csv")},
                       content_type="multipart/form-data")


def demo_files(db):
    return plan(db)["2025-26"]


def changed(text, index, cell, value):
    """The CSV with the cell `cell` of data row `index` (0 is the first after the header) set to `value`."""
    lines = text.splitlines()
    cells = lines[index + 1].split(";")
    cells[cell] = value
    lines[index + 1] = ";".join(cells)
    return "\n".join(lines) + "\n"


def refused(response, *messages):
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[-2000:]
    for message in messages:
        assert message in page, message


BILLS = [  # (cell, value, message): mwh, euro_mwh, quota_fissa_euro, quota_volontaria
    (2, "1e30", "Riga 2: colonna mwh: «1e30» non è un numero"),
    (2, "5000,5", "colonna mwh: deve essere tra 0 e 5.000 MWh, non 5.000,5"),
    (3, "900", "colonna euro_mwh: deve essere tra 20 e 800 EUR/MWh, non 900"),
    (3, "19,99", "colonna euro_mwh: deve essere tra 20 e 800 EUR/MWh, non 19,99"),
    (4, "-1", "colonna quota_fissa_euro: deve essere tra 0 e 1.000.000 EUR"),
    (5, "0,3", "colonna quota_volontaria: deve essere tra 0,5 e 1, non 0,3"),
]


@pytest.mark.parametrize("cell, value, message", BILLS)
def test_bills_out_of_bounds_are_refused(shared_login, shared_db, cell, value, message):
    before = snapshot(shared_db)
    refused(upload(shared_login("equipe"), "bills", changed(demo_files(shared_db)[0], 0, cell, value)),
            "Nessun dato importato", message)
    assert snapshot(shared_db) == before


@pytest.mark.parametrize("cell, value, message", [
    (5, "1e30", "colonna unita: «1e30» non è un numero"),
    (5, "1.000.001", "colonna unita: deve essere tra 0 e 1.000.000, non 1.000.001"),
    (4, "0", "colonna millesimi: deve essere più di 0 e al massimo 1.000, non 0"),
    (8, "=HYPERLINK(\"http://x\")", "colonna codice_nucleo: =HYPERLINK"),
])
def test_readings_out_of_bounds_or_with_a_formula_are_refused(shared_login, shared_db, cell, value, message):
    before = snapshot(shared_db)
    refused(upload(shared_login("equipe"), "readings", changed(demo_files(shared_db)[1], 0, cell, value)), message)
    assert snapshot(shared_db) == before


def test_millesimi_must_add_up_to_a_thousand_per_building(shared_login, shared_db):
    text = demo_files(shared_db)[1]
    first = text.splitlines()[1].split(";")
    text = changed(text, 0, 4, str(int(first[4]) + 2))
    refused(upload(shared_login("equipe"), "readings", text),
            f"colonna millesimi: stabile {first[0]} (2025-26): la somma è 1.002, non 1.000 ± 0,5")


def test_a_household_the_registry_places_in_another_flat_is_refused(shared_login, shared_db):
    text = demo_files(shared_db)[1]
    rows = text.splitlines()
    other = rows[2].split(";")[8]
    refused(upload(shared_login("equipe"), "readings", changed(text, 0, 8, other)),
            f"Riga 2: colonna codice_nucleo: l&#39;anagrafe colloca il nucleo {other} in un altro alloggio")


def test_a_household_unknown_to_the_registry_on_a_flat_shared_in_the_season_becomes_a_case(login, db):
    text = demo_files(db)[1]
    row = text.splitlines()[1].split(";")
    gone = ";".join(row[:7] + ["100", "DEMO-BLO-901"])
    row[7] = "83"
    lines = text.splitlines()
    lines[1] = ";".join(row)
    lines.insert(2, gone)
    client = login("equipe")
    assert upload(client, "readings", "\n".join(lines) + "\n").status_code == 303
    assert client.post("/heating/seasons/2025-26/compute", data={"rule": "A"}).status_code == 303
    cases = {r["household_code"]: r["reason"] for r in db.query(
        "SELECT household_code, reason FROM heating_contributions WHERE season = '2025-26' AND status = 'to_check'")}
    assert cases["DEMO-BLO-901"] == "not_in_registry" and cases[row[8]] == "moved"


@pytest.mark.parametrize("rows, message", [
    ("DEMO-BLO-093;2025-26;1e30;0", "Riga 2: colonna isee: «1e30» non è un numero"),
    ("DEMO-BLO-093;2025-26;100.000,01;0", "colonna isee: deve essere tra 0 e 100.000 EUR"),
    ("DEMO-BLO-093;2025-26;9000;-5", "colonna solidarieta_riscaldamento: deve essere tra 0 e 1.000.000 EUR"),
    ("DEMO-BLO-093;2025-26;9000;0\nDEMO-BLO-093;2025-26;12000;0",
     "Riga 3: colonna codice_nucleo: DEMO-BLO-093 ha già una riga per 2025-26: riga 2"),
])
def test_household_data_one_row_per_household_and_season_within_bounds(shared_login, shared_db, rows, message):
    before = snapshot(shared_db)
    refused(upload(shared_login("equipe"), "household-data", f"{HOUSEHOLD_HEADER}\n{rows}\n"), message)
    assert snapshot(shared_db) == before


def test_temperatures_out_of_bounds_or_giving_implausible_degree_days_are_refused(shared_login, shared_db):
    days = [date(2025, 10, 15) + timedelta(days=i) for i in range(183)]
    client, before = shared_login("equipe"), snapshot(shared_db)
    for temperature, message in (("99", "colonna temperatura_media: deve essere tra -30 e 40 °C, non 99"),
                                 ("19,9", "gradi giorno dalle temperature: deve essere tra 1.000 e 4.500 GG")):
        text = "data;temperatura_media\n" + "\n".join(f"{d.isoformat()};{temperature}" for d in days) + "\n"
        response = client.post("/heating/seasons/2025-26/temperatures",
                               data={"file": (io.BytesIO(text.encode()), "t.csv")}, content_type="multipart/form-data")
        refused(response, message)
    assert snapshot(shared_db) == before


@pytest.mark.parametrize("url, form, message", [
    ("/heating/seasons/2025-26/settings", {"degree_days": "1e308"}, "Gradi giorno: «1e308» non è un numero"),
    ("/heating/seasons/2025-26/settings", {"degree_days": "999"}, "Gradi giorno: deve essere tra 1.000 e 4.500 GG"),
    ("/heating/seasons/2025-26/settings", {"isee_ceiling": "1e30"}, "ISEE: «1e30» non è un numero"),
    ("/heating/seasons/2025-26/settings", {"isee_ceiling": "150.000"}, "ISEE: deve essere tra 0 e 100.000 EUR"),
    ("/heating/households/DEMO-BLO-093", {"season": "2025-26", "isee": "1e30"}, "ISEE: «1e30» non è un numero"),
    ("/heating/households/DEMO-BLO-093", {"season": "2025-26", "isee": "9000", "solidarity": "2.000.000"},
     "Solidarietà già pagata per il riscaldamento: deve essere tra 0 e 1.000.000 EUR"),
    ("/heating/seasons/2024-25/recoveries", {"household_code": "DEMO-BLO-093", "amount": "1e30", "note": "x",
                                             "recovery_number": "1", "recovery_date": "2026-11-01"},
     "Importo: «1e30» non è un numero"),
])
def test_forms_refuse_implausible_numbers_naming_the_field(shared_login, shared_db, url, form, message):
    before = snapshot(shared_db)
    refused(shared_login("equipe").post(url, data=form), message)
    assert snapshot(shared_db) == before


def test_cli_refuses_with_the_message_and_no_traceback(runner, db, tmp_path):
    before = snapshot(db)
    result = runner.invoke(args=["heating", "degree-days", "2025-26", "1e308"])
    assert result.exit_code == 1 and "Gradi giorno: «1e308» non è un numero" in result.output
    (tmp_path / "h.csv").write_text(f"{HOUSEHOLD_HEADER}\nDEMO-BLO-093;2025-26;1e30;0\n")
    result = runner.invoke(args=["heating", "import-household-data", str(tmp_path / "h.csv")])
    assert result.exit_code == 1 and "Riga 2: colonna isee: «1e30» non è un numero" in result.output
    assert "Traceback" not in result.output and snapshot(db) == before


def test_the_observatory_and_reconciliation_answer_after_the_files_are_refused(shared_login):
    client = shared_login("coordinatrice")
    assert client.get("/energy/").status_code == 200
    assert client.get("/heating/seasons/2025-26/reconciliation").status_code == 200
