"""`flask registry import FILE`: all rows validated first, all or nothing, what offices really produce."""
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
HEADER = ("building_code;address;quartiere;presidio;lat;lon;owner;district_heating;"
          "scala;piano;interno;household_code;members;arrears_band;heating_eligible")


def write(tmp_path, text, encoding="utf-8", name="registry.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def households(db):
    return db["households"].count


def test_example_file_imports_and_prints_counts(runner, db):
    before = households(db)
    result = runner.invoke(args=["registry", "import", str(EXAMPLES / "registry.csv")])
    assert result.exit_code == 0, result.output
    assert "Imported 4 rows: 2 new buildings, 4 new flats, 3 new households." in result.output
    assert households(db) == before + 3
    row = next(db.query("SELECT b.lat, b.owner, b.district_heating FROM buildings b WHERE code = 'X16-01'"))
    assert row == {"lat": 45.1336, "owner": "comune", "district_heating": 1}


def test_excel_latin1_semicolons_and_decimal_commas_are_accepted(runner, db):
    result = runner.invoke(args=["registry", "import", str(EXAMPLES / "registry-excel.csv")])
    assert result.exit_code == 0, result.output
    building = next(db.query("SELECT address, lat, lon FROM buildings WHERE code = 'X14-01'"))
    assert building == {"address": "Via Caudana 99 (Società Cooperativa Più Città)", "lat": 45.1262, "lon": 10.0718}


def test_utf8_with_bom_is_accepted(runner, db, tmp_path):
    text = "\ufeff" + HEADER + "\nX01-09;Via Ùltima 1;1;P-CEN;45,14;10,01;comune;no;;1;1;ESEMPIO-0900;2;none;no\n"
    result = runner.invoke(args=["registry", "import", str(write(tmp_path, text))])
    assert result.exit_code == 0, result.output
    assert db["buildings"].count_where("address = 'Via Ùltima 1'") == 1


def test_reimport_updates_instead_of_duplicating(runner, db):
    runner.invoke(args=["registry", "import", str(EXAMPLES / "registry.csv")])
    before = (db["buildings"].count, db["units"].count, households(db))
    result = runner.invoke(args=["registry", "import", str(EXAMPLES / "registry.csv")])
    assert "0 new buildings, 0 new flats, 0 new households" in result.output
    assert (db["buildings"].count, db["units"].count, households(db)) == before


@pytest.mark.parametrize("row, reason", [
    ("X01-09;Via A 1;99;P-CEN;45,14;10,01;comune;no;;1;1;E-1;2;none;no", "unknown quartiere '99'"),
    ("X01-09;Via A 1;1;P-XXX;45,14;10,01;comune;no;;1;1;E-1;2;none;no", "unknown presidio 'P-XXX'"),
    ("X01-09;Via A 1;1;P-CEN;10,01;45,14;comune;no;;1;1;E-1;2;none;no", "outside Italy"),
    ("X01-09;Via A 1;1;P-CEN;abc;10,01;comune;no;;1;1;E-1;2;none;no", "coordinates are not numbers"),
    ("X01-09;Via A 1;1;P-CEN;45,14;10,01;privato;no;;1;1;E-1;2;none;no", "owner must be comune or aler"),
    ("X01-09;Via A 1;1;P-CEN;45,14;10,01;comune;forse;;1;1;E-1;2;none;no", "district_heating: expected si/no"),
    ("X01-09;Via A 1;1;P-CEN;45,14;10,01;comune;no;;1;1;E-1;0;none;no", "members must be a whole number"),
    ("X01-09;Via A 1;1;P-CEN;45,14;10,01;comune;no;;1;1;E-1;2;tanta;no", "arrears_band must be one of"),
    ("X01-09;;1;P-CEN;45,14;10,01;comune;no;;1;1;E-1;2;none;no", "address is empty"),
])
def test_a_bad_row_is_reported_by_number_and_nothing_is_imported(runner, db, tmp_path, row, reason):
    good = "X01-08;Via Buona 1;1;P-CEN;45,14;10,01;comune;no;;1;1;E-0;2;none;no"
    before = (db["buildings"].count, households(db))
    result = runner.invoke(args=["registry", "import", str(write(tmp_path, f"{HEADER}\n{good}\n{row}\n"))])
    assert result.exit_code == 1
    assert "Nothing imported" in result.output
    assert "row 3: " in result.output and reason in result.output
    assert (db["buildings"].count, households(db)) == before


def test_duplicate_household_codes_are_refused(runner, db, tmp_path):
    rows = "\n".join([HEADER, "X01-09;Via A 1;1;P-CEN;45,14;10,01;comune;no;;1;1;E-1;2;none;no",
                      "X01-09;Via A 1;1;P-CEN;45,14;10,01;comune;no;;1;2;E-1;2;none;no"])
    result = runner.invoke(args=["registry", "import", str(write(tmp_path, rows))])
    assert result.exit_code == 1
    assert "row 3: household code E-1 already on row 2" in result.output


def test_wrong_columns_are_named(runner, tmp_path):
    result = runner.invoke(args=["registry", "import", str(write(tmp_path, "codice;indirizzo\nA;B\n"))])
    assert result.exit_code == 1
    assert "colonne mancanti: building_code" in result.output and "colonne sconosciute: codice" in result.output


@pytest.mark.parametrize("content", ["", "\n\n", HEADER + "\n"])
def test_empty_files_are_refused(runner, tmp_path, content):
    result = runner.invoke(args=["registry", "import", str(write(tmp_path, content))])
    assert result.exit_code == 1
    assert "il file è vuoto" in result.output or "nessuna riga" in result.output


def test_binary_garbage_is_refused_cleanly(runner, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 4)
    result = runner.invoke(args=["registry", "import", str(path)])
    assert result.exit_code == 1
    assert "Nothing imported" in result.output
