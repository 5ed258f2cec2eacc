"""Heating contributions through the CLI and the pages: imports, compute, workflow, exports, bad input."""
import io
import json
from decimal import Decimal

from openpyxl import load_workbook

from fieldapp.heating.compute import evaluate
from fieldapp.heating.rules import cents
from tests.heating_data import BUILDING, bills_csv, load_example, readings_csv, registry_csv


def value(db, sql, params=()):
    return db.execute(sql, params).fetchone()[0]


def example_row(db, version=None):
    return next(db.query(
        """SELECT c.* FROM heating_contributions c JOIN heating_versions v ON v.id = c.version_id
           WHERE c.household_code = 'DEMO-EXA-001' ORDER BY v.version DESC LIMIT 1"""))


def upload(client, kind, text, name="file.csv", season="2024-25"):
    return client.post(f"/heating/import/{kind}", data={"file": (io.BytesIO(text.encode()), name), "season": season},
                       content_type="multipart/form-data")


def test_three_seasons_are_preloaded_with_dates_and_degree_days(db):
    rows = {r["code"]: r for r in db.query("SELECT * FROM heating_seasons")}
    assert set(rows) == {"2023-24", "2024-25", "2025-26"}
    assert rows["2023-24"]["baseline"] == 1 and rows["2024-25"]["reference_season"] == "2023-24"
    assert (rows["2024-25"]["starts_on"], rows["2024-25"]["ends_on"]) == ("2024-10-15", "2025-04-15")
    assert all(r["degree_days"] for r in rows.values())


def test_degree_days_entered_or_computed_from_temperatures(runner, db, tmp_path):
    result = runner.invoke(args=["heating", "degree-days", "2025-26", "2412,5"])
    assert result.exit_code == 0
    assert value(db, "SELECT degree_days FROM heating_seasons WHERE code='2025-26'") == "2412.5"
    from datetime import date, timedelta
    days = [date(2025, 10, 15) + timedelta(days=i) for i in range(183)]
    lines = ["data;temperatura_media"] + [f"{d.isoformat()};{'22,0' if i == 0 else '8,5'}" for i, d in enumerate(days)]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n")
    result = runner.invoke(args=["heating", "degree-days", "2025-26", "--temperatures", str(tmp_path / "t.csv")])
    assert result.exit_code == 0, result.output
    # 182 days at 8.5 C give 11.5 each; the warm day (22 C) gives none.
    assert value(db, "SELECT degree_days FROM heating_seasons WHERE code='2025-26'") == "2093"


def test_worked_example_end_to_end_rule_a_then_rule_b(runner, db, tmp_path):
    load_example(runner, tmp_path)
    result = runner.invoke(args=["heating", "compute", "2024-25"])
    assert result.exit_code == 0, result.output
    row = example_row(db)
    assert (row["cost_previous_cents"], row["cost_current_cents"], row["amount_cents"]) == (125400, 143199, 17799)
    assert (row["rule"], row["rule_version"], row["status"]) == ("A", "1", "computed")
    runner.invoke(args=["heating", "compute", "2024-25", "--rule", "B"])
    row = example_row(db)
    assert (row["cost_current_allowed_cents"], row["amount_cents"], row["rule"]) == (140813, 15413, "B")


def test_stored_inputs_reproduce_every_stored_euro(runner, db, tmp_path):
    runner.invoke(args=["heating", "compute", "2025-26", "--rule", "B"])
    rows = list(db.query("SELECT * FROM heating_contributions WHERE status = 'computed'"))
    assert len(rows) > 150
    for row in rows:
        result = evaluate(json.loads(row["inputs"]))
        assert cents(result["net"]) == row["amount_cents"]
        assert cents(result["cost_allowed"]) == row["cost_current_allowed_cents"]


def test_why_this_amount_shows_the_formula_with_its_numbers(runner, db, tmp_path, login):
    load_example(runner, tmp_path)
    runner.invoke(args=["heating", "compute", "2024-25"])
    page = login("equipe").get(f"/heating/contributions/{example_row(db)['id']}").get_data(as_text=True)
    assert "177,99" in page and "33.550" in page and "1.254" in page and "1.431,9929" in page
    assert "max(0, 1.431,9929 − 1.254 × 182 / 182)" in page


def test_bills_accept_english_headers_commas_and_decimal_points(client, login, db):
    text = "building_code,season,mwh,eur_per_mwh,fixed_eur,voluntary_share\nB16-01,2025-26,101.5,158.25,1300,0.7\n"
    response = upload(login("equipe"), "bills", text)
    assert response.status_code == 303
    bill = next(db.query("SELECT hb.* FROM heating_bills hb JOIN buildings b ON b.id = hb.building_id "
                         "WHERE b.code = 'B16-01' AND season = '2025-26'"))
    assert (bill["mwh"], bill["eur_per_mwh"], bill["voluntary_share"]) == ("101.5", "158.25", "0.7")


def test_voluntary_share_under_half_is_refused_and_nothing_changes(login, db):
    before = list(db.query("SELECT * FROM heating_bills ORDER BY season, building_id"))
    response = upload(login("equipe"), "bills", bills_csv(alpha="0,4"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nessun dato importato" in page
    assert "Riga 2: colonna quota_volontaria: deve essere tra 0,5 e 1, non 0,4" in page
    assert list(db.query("SELECT * FROM heating_bills ORDER BY season, building_id")) == before


def test_readings_are_all_or_nothing_with_a_reason_per_row(runner, login, db, tmp_path):
    (tmp_path / "registry.csv").write_text(registry_csv(), encoding="utf-8")
    assert runner.invoke(args=["registry", "import", str(tmp_path / "registry.csv")]).exit_code == 0
    good = readings_csv("2024-25").splitlines()
    bad = [good[0], good[1].replace(BUILDING, "NOPE-01"), good[2].replace(";;2;", ";;99;"),
           good[3].replace(";1061;", ";-5;"), good[4].replace(";41;", ";40;") , good[4],
           good[6].replace(";182;", ";300;"), good[7], good[7]]
    before = value(db, "SELECT COUNT(*) FROM heating_readings")
    response = upload(login("equipe"), "readings", "\n".join(bad) + "\n")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for reason in ("colonna codice_stabile: stabile sconosciuto NOPE-01", "colonna interno: alloggio sconosciuto",
                   "colonna unita: deve essere tra 0 e 1.000.000, non -5", "41 diversi da 40 della riga 5",
                   "colonna giorni_occupazione: 300 giorni superano i 183 della stagione",
                   "alloggio mancante nel file", "stesso alloggio e stesso nucleo già alla riga"):
        assert reason in page, reason
    assert value(db, "SELECT COUNT(*) FROM heating_readings") == before


def test_a_flat_that_changed_household_has_one_row_per_household(db):
    rows = list(db.query(
        """SELECT r.household_code, r.days_occupied FROM heating_readings r JOIN units u ON u.id = r.unit_id
           JOIN buildings b ON b.id = u.building_id WHERE b.code = 'B05-01' AND u.interno = '2'
           AND r.season = '2024-25' ORDER BY r.days_occupied"""))
    assert [r["days_occupied"] for r in rows] == [90, 93] and rows[0]["household_code"] == "DEMO-BLO-900"


def test_reconciliation_adds_up_and_lists_three_estimated_readings(login):
    page = login("coordinatrice").get("/heating/seasons/2025-26/reconciliation").get_data(as_text=True)
    assert page.count("Quadra") == 8 and "Non quadra" not in page
    assert "Letture stimate (3)" in page


def test_households_who_moved_are_cases_settled_pro_rata_by_days_in_the_demo(db):
    rows = {r["household_code"]: r for r in db.query(
        "SELECT * FROM heating_contributions WHERE season = '2024-25' AND inputs LIKE '%\"case\"%'")}
    assert set(rows) == {"DEMO-BLO-900", "DEMO-BLO-094"}
    left, came = (json.loads(rows[code]["inputs"]) for code in ("DEMO-BLO-900", "DEMO-BLO-094"))
    assert (left["case"], came["case"]) == ("not_in_registry", "moved")
    assert left["settlement"]["decision"] == came["settlement"]["decision"] == "pro_rata"
    # The flat's contribution for the whole season, split by the days each household lived there.
    flat = evaluate({**left, **left["flat"], "solidarity_cents": 0})["raw"]
    for inputs, row in ((left, rows["DEMO-BLO-900"]), (came, rows["DEMO-BLO-094"])):
        share = flat * inputs["current"]["days"] / 183
        assert row["amount_cents"] == cents(share - min(share, Decimal(inputs["solidarity_cents"]) / 100))
        assert row["status"] == "credited"


def test_rule_b_without_degree_days_is_refused(login, db):
    client = login("equipe")
    client.post("/heating/seasons/2025-26/settings", data={"rule": "B", "reference_season": "2024-25",
                                                           "degree_days": "", "isee_ceiling": ""})
    versions = value(db, "SELECT COUNT(*) FROM heating_versions")
    response = client.post("/heating/seasons/2025-26/compute", data={"rule": "B"})
    assert response.status_code == 422 and "La regola B richiede i gradi giorno" in response.get_data(as_text=True)
    assert value(db, "SELECT COUNT(*) FROM heating_versions") == versions


def test_isee_ceiling_without_isee_is_to_check_and_solidarity_is_deducted(login, db):
    client = login("equipe")
    client.post("/heating/households/DEMO-BLO-093", data={"season": "2025-26", "isee": "", "solidarity": "50"})
    client.post("/heating/seasons/2025-26/settings", data={"rule": "A", "reference_season": "2024-25",
                                                           "degree_days": "2240", "isee_ceiling": "15000"})
    assert client.post("/heating/seasons/2025-26/compute", data={"rule": "A"}).status_code == 303
    row = next(db.query("SELECT * FROM heating_contributions "
                        "WHERE household_code = 'DEMO-BLO-093' AND season = '2025-26'"))
    assert (row["status"], row["reason"]) == ("to_check", "no_isee")
    client.post("/heating/households/DEMO-BLO-093", data={"season": "2025-26", "isee": "9000", "solidarity": "50"})
    client.post("/heating/seasons/2025-26/compute", data={"rule": "A"})
    row = example = next(db.query(
        "SELECT * FROM heating_contributions WHERE household_code = 'DEMO-BLO-093' AND season = '2025-26' "
        "ORDER BY id DESC"))
    raw = cents(evaluate(json.loads(example["inputs"]))["raw"])
    assert row["status"] == "computed" and row["solidarity_deducted_cents"] == min(5000, raw)
    assert row["amount_cents"] == raw - row["solidarity_deducted_cents"]


def test_approval_workflow_and_to_check_flats(login, db):
    equipe, coordinator = login("equipe"), login("coordinatrice")
    assert coordinator.post("/heating/seasons/2025-26/compute").status_code == 403
    # With an ISEE ceiling, the demo households without a recorded ISEE are "to check".
    equipe.post("/heating/seasons/2025-26/settings", data={"isee_ceiling": "50000"})
    assert equipe.post("/heating/seasons/2025-26/compute", data={"rule": "A"}).status_code == 303
    assert equipe.post("/heating/seasons/2025-26/move", data={"action": "approve"}).status_code == 403
    assert equipe.post("/heating/seasons/2025-26/move", data={"action": "review"}).status_code == 303
    blocked = next(db.query("SELECT id FROM heating_contributions WHERE season = '2025-26' AND status = 'to_check'"))
    ready = next(db.query("SELECT id FROM heating_contributions WHERE season = '2025-26' AND status = 'reviewed'"))
    response = coordinator.post("/heating/seasons/2025-26/move",
                                data={"action": "approve", "ids": [ready["id"], blocked["id"]]})
    assert response.status_code == 422 and "ancora da controllare" in response.get_data(as_text=True)
    assert value(db, "SELECT COUNT(*) FROM heating_contributions WHERE season='2025-26' AND status='approved'") == 0
    assert coordinator.post("/heating/seasons/2025-26/move", data={"action": "approve"}).status_code == 303
    counts = dict(db.execute("SELECT status, COUNT(*) FROM heating_contributions WHERE season='2025-26' GROUP BY 1"))
    assert counts["approved"] >= 140 and counts["to_check"] >= 5
    # The determina needs its number and date; crediting writes the ledger.
    response = equipe.post("/heating/seasons/2025-26/acts", data={"determina_number": "", "determina_date": ""})
    assert response.status_code == 422 and "numero e data della determina" in response.get_data(as_text=True)
    assert equipe.post("/heating/seasons/2025-26/acts", data={"determina_number": "2044/2026",
                                                              "determina_date": "2026-06-10"}).status_code == 303
    assert value(db, "SELECT COUNT(*) FROM heating_contributions WHERE season='2025-26' AND status='in_determina'") \
        == counts["approved"]
    assert equipe.post("/heating/seasons/2025-26/acts/credit", data={"credited_on": "2026-06-30"}).status_code == 303
    assert value(db, "SELECT COUNT(*) FROM heating_contributions WHERE season='2025-26' AND status='credited'") \
        == counts["approved"]
    paid = value(db, "SELECT SUM(amount_cents) FROM heating_contributions WHERE season='2025-26' AND status='credited'")
    assert value(db, "SELECT SUM(amount_cents) FROM heating_ledger WHERE season = '2025-26'") == paid
    response = coordinator.post(f"/heating/contributions/{blocked['id']}/reject", data={"reason": ""})
    assert response.status_code == 422
    coordinator.post(f"/heating/contributions/{blocked['id']}/reject", data={"reason": "trasferito"})
    assert value(db, "SELECT status FROM heating_contributions WHERE id = ?", [blocked["id"]]) == "rejected"


def test_recalculation_keeps_earlier_versions_and_shows_the_difference_from_what_was_paid(runner, login, db,
                                                                                         tmp_path):
    load_example(runner, tmp_path)
    equipe, coordinator = login("equipe"), login("coordinatrice")
    equipe.post("/heating/seasons/2024-25/compute", data={"rule": "A"})
    equipe.post("/heating/seasons/2024-25/move", data={"action": "review"})
    coordinator.post("/heating/seasons/2024-25/move", data={"action": "approve"})
    approved = example_row(db)
    assert approved["status"] == "approved"
    corrected = readings_csv("2024-25", flat_one_units=1150).replace(";1058;", ";1008;")  # same building total
    assert upload(equipe, "readings", corrected).status_code == 303
    equipe.post("/heating/seasons/2024-25/compute", data={"rule": "A"})
    new = example_row(db)
    assert new["id"] != approved["id"] and new["status"] == "computed"
    assert new["amount_cents"] > approved["amount_cents"]
    kept = next(db.query("SELECT * FROM heating_contributions WHERE id = ?", [approved["id"]]))
    assert (kept["status"], kept["amount_cents"]) == ("approved", 17799)
    # Approved is not paid: the difference is the whole amount, since the ledger holds nothing yet.
    page = coordinator.get("/heating/seasons/2024-25").get_data(as_text=True)
    row = page.split(">DEMO-EXA-001</a>")[1].split("</tr>")[0]
    assert 'data-testid="difference"' in row and f"{new['amount_cents'] / 100:.2f}".replace(".", ",") in row
    assert "Versione 3" in page


def test_contributions_csv_has_the_columns_decimal_comma_and_bom(login, db):
    response = login("coordinatrice").get("/heating/seasons/2024-25/contributions.csv")
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffhousehold_code;building_code;scala;interno;cost_previous;cost_current;"
                           "cost_current_allowed;solidarity_deducted;contribution;rule;rule_version;version;status\r\n")
    first = text.splitlines()[1].split(";")
    assert "," in first[5] and first[9:12] == ["A", "1", "1"]
    assert value(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'heating_export_csv'") == 1


def test_determina_list_has_household_codes_and_amounts_only(login, db):
    text = login("equipe").get("/heating/seasons/2024-25/determina.csv").data.decode("utf-8-sig")
    lines = text.splitlines()
    paid = value(db, "SELECT COUNT(*) FROM heating_ledger WHERE season = '2024-25' AND kind = 'payment'")
    assert lines[0] == "household_code;amount;computed;paid_before;reason" and len(lines) == paid + 1 > 150
    assert all(len(line.split(";")) == 5 and line.startswith("DEMO-") and line.endswith(";first")
               for line in lines[1:])
    assert "Via" not in text and "B05-01" not in text
    assert value(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'heating_export_determina'") == 1


def test_letters_xlsx_and_reconciliation_exports_are_audited(login, db):
    client = login("equipe")
    pdf = client.get("/heating/seasons/2024-25/letters.pdf?household=DEMO-BLO-093")
    assert pdf.data.startswith(b"%PDF") and pdf.data.count(b"/Type /Page") == 2  # one letter, and /Pages
    book = load_workbook(io.BytesIO(client.get("/heating/seasons/2024-25/contributions.xlsx").data))
    assert book.sheetnames == ["Contributi 2024-25", "Riconciliazione"] and book.active.max_row == 174
    assert client.get("/heating/seasons/2024-25/reconciliation.csv").status_code == 200
    actions = {a for (a,) in db.execute("SELECT action FROM audit_log WHERE action LIKE 'heating_export%'")}
    assert actions == {"heating_export_letters", "heating_export_xlsx", "heating_export_reconciliation"}


def test_tutor_sees_state_and_season_never_amounts(login, db):
    household = next(db.query("SELECT id FROM households WHERE code = 'DEMO-BLO-093'"))
    page = login("tutor.loreto").get(f"/households/{household['id']}").get_data(as_text=True)
    assert "contributo riscaldamento: erogato" in page and "Stagione 2024-25" in page
    panel = page.split('data-testid="heating-panel"')[1].split("</section>")[0]
    assert "€" not in panel and "EUR" not in panel


def test_registry_import_takes_the_optional_floor_area(runner, db, tmp_path):
    (tmp_path / "r.csv").write_text(registry_csv().replace(";65\n", ";72,5\n"), encoding="utf-8")
    assert runner.invoke(args=["registry", "import", str(tmp_path / "r.csv")]).exit_code == 0
    assert value(db, "SELECT SUM(area_m2) FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.code = ?",
                 [BUILDING]) == 24 * 72.5


def test_observatory_on_the_worked_example(runner, login, tmp_path):
    load_example(runner, tmp_path)
    page = login("equipe").get("/energy/?season=2024-25").get_data(as_text=True)
    assert "53,67" in page and "52,95" in page
    row = page.split(f"<td>{BUILDING}</td><td>2023-24 → 2024-25</td>")[1].split("</tr>")[0]
    assert all(v in row for v in ("3.550", "1.800", "2.009,3", "-409,3", "150"))


def test_observatory_flags_the_faulty_allocator_as_possible_under_heating(login):
    page = login("coordinatrice").get("/energy/?season=2025-26").get_data(as_text=True)
    flats = page.split('data-testid="flats"')[1].split("</section>")[0]
    assert "B16-02 A 5" in flats and "possibile sotto-riscaldamento" in flats


def test_household_data_file_sets_isee_and_deducts_solidarity(runner, db, tmp_path):
    load_example(runner, tmp_path)
    (tmp_path / "bad.csv").write_text("codice_nucleo;stagione;isee;solidarieta_riscaldamento\nNOBODY;2024-25;1;2\n")
    result = runner.invoke(args=["heating", "import-household-data", str(tmp_path / "bad.csv")])
    assert result.exit_code == 1 and "Riga 2: colonna codice_nucleo: nucleo sconosciuto NOBODY" in result.output
    (tmp_path / "hh.csv").write_text("codice_nucleo;stagione;isee;solidarieta_riscaldamento\n"
                                     "DEMO-EXA-001;2024-25;8.500,00;77,99\n")
    assert runner.invoke(args=["heating", "import-household-data", str(tmp_path / "hh.csv")]).exit_code == 0
    runner.invoke(args=["heating", "compute", "2024-25"])
    row = example_row(db)
    assert (row["solidarity_deducted_cents"], row["amount_cents"]) == (7799, 10000)
    assert json.loads(row["inputs"])["isee_cents"] == 850000


def test_energy_map_layer_colours_the_buildings_without_a_cdn(login):
    response = login("equipe").get("/energy/map?season=2025-26")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "'sha256-" in response.headers["Content-Security-Policy"]
    assert page.count("L.circleMarker(") == 8 and "cdn" not in page.lower()
    assert '"fillColor": "#' in page and "B16-02" in page
