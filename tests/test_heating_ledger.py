"""Every euro paid once: a ledger behind the heating contributions, corrections paid or recovered as
differences, acts with their numbers, a season closed, recoveries collected or offset."""
import io
import json
import sqlite3
from decimal import Decimal
from types import SimpleNamespace

import pytest

from fieldapp.heating import acts, api, importer, workflow
from fieldapp.heating.compute import compute
from fieldapp.heating.demo import plan
from fieldapp.indicators.periods import parse as parse_period
from fieldapp.indicators.registry import indicators
from tests.heating_data import CORRECTIONS, load_example, readings_csv

EXAMPLE = "DEMO-EXA-001"


def value(db, sql, params=()):
    return db.execute(sql, params).fetchone()[0]


def csv_rows(response):
    lines = response.data.decode("utf-8-sig").splitlines()
    return [dict(zip(lines[0].split(";"), line.split(";"), strict=True)) for line in lines[1:]]


def example_line(client, name):
    """The worked example's household in a list of the season (determina.csv, recoveries.csv)."""
    rows = csv_rows(client.get(f"/heating/seasons/2024-25/{name}"))
    return next(r for r in rows if r["household_code"] == EXAMPLE)


def upload_readings(client, text):
    return client.post("/heating/import/readings", data={"file": (io.BytesIO(text.encode()), "r.csv")},
                       content_type="multipart/form-data")


def approve(equipe, coordinator, season="2024-25"):
    assert equipe.post(f"/heating/seasons/{season}/compute", data={"rule": "A"}).status_code == 303
    equipe.post(f"/heating/seasons/{season}/move", data={"action": "review"})
    assert coordinator.post(f"/heating/seasons/{season}/move", data={"action": "approve"}).status_code == 303


def ledger_of(db, code, season="2024-25"):
    return value(db, "SELECT COALESCE(SUM(amount_cents), 0) FROM heating_ledger "
                     "WHERE household_code = ? AND season = ?", [code, season])


def test_worked_example_pays_12_51_then_asks_30_50_back_through_the_pages(runner, login, db, tmp_path):
    load_example(runner, tmp_path)
    equipe, coordinator = login("equipe"), login("coordinatrice")
    # 1. The first version credited: 177.99.
    approve(equipe, coordinator)
    equipe.post("/heating/seasons/2024-25/acts", data={"determina_number": "812/2025", "determina_date": "2025-06-20"})
    line = example_line(equipe, "determina.csv")
    assert line == {"household_code": EXAMPLE, "amount": "177,99", "computed": "177,99", "paid_before": "0,00",
                    "reason": "first"}
    assert equipe.post("/heating/seasons/2024-25/acts/credit", data={"credited_on": "2025-07-01"}).status_code == 303
    assert ledger_of(db, EXAMPLE) == 17799
    # 2. A corrected reading: 190.50, and the determina pays the difference only.
    units, flat_24 = CORRECTIONS["190.50"]
    assert upload_readings(equipe, readings_csv("2024-25", units, flat_24_units=flat_24)).status_code == 303
    approve(equipe, coordinator)
    equipe.post("/heating/seasons/2024-25/acts", data={"determina_number": "1403/2025", "determina_date": "2025-10-02"})
    line = example_line(equipe, "determina.csv")
    assert line == {"household_code": EXAMPLE, "amount": "12,51", "computed": "190,50", "paid_before": "177,99",
                    "reason": "readings"}
    recoveries = csv_rows(equipe.get("/heating/seasons/2024-25/recoveries.csv"))
    assert {r["household_code"] for r in recoveries}.isdisjoint({EXAMPLE})
    equipe.post("/heating/seasons/2024-25/acts/credit",
                data={"credited_on": "2025-10-15", "recovery_number": "R-7/2025", "recovery_date": "2025-10-02"})
    assert ledger_of(db, EXAMPLE) == 19050
    # 3. Another correction: 160.00. Nothing is paid; 30.50 goes on the recovery list, for its own act.
    units, flat_24 = CORRECTIONS["160.00"]
    assert upload_readings(equipe, readings_csv("2024-25", units, flat_24_units=flat_24)).status_code == 303
    approve(equipe, coordinator)
    preview = equipe.get("/heating/seasons/2024-25/recoveries.csv")
    assert preview.headers["Content-Type"].startswith("text/csv")
    response = equipe.post("/heating/seasons/2024-25/acts", data={"determina_number": "1522/2025",
                                                                   "determina_date": "2025-11-03"})
    assert response.status_code == 303
    assert EXAMPLE not in {r["household_code"] for r in csv_rows(equipe.get("/heating/seasons/2024-25/determina.csv"))}
    back = example_line(equipe, "recoveries.csv")
    assert back == {"household_code": EXAMPLE, "computed": "160,00", "paid_before": "190,50", "amount": "30,50",
                    "reason": "readings"}
    refused = equipe.post("/heating/seasons/2024-25/acts/credit", data={"credited_on": "2025-11-20"})
    assert refused.status_code == 422 and "atto di recupero" in refused.get_data(as_text=True)
    assert equipe.post("/heating/seasons/2024-25/acts/credit", data={
        "credited_on": "2025-11-20", "recovery_number": "R-9/2025", "recovery_date": "2025-11-10"}).status_code == 303
    assert ledger_of(db, EXAMPLE) == 16000
    entries = list(db.query("SELECT kind, amount_cents, act_number, act_date FROM heating_ledger "
                            "WHERE household_code = ? ORDER BY id", [EXAMPLE]))
    assert entries == [{"kind": "payment", "amount_cents": 17799, "act_number": "812/2025", "act_date": "2025-06-20"},
                       {"kind": "payment", "amount_cents": 1251, "act_number": "1403/2025", "act_date": "2025-10-02"},
                       {"kind": "recovery", "amount_cents": -3050, "act_number": "R-9/2025", "act_date": "2025-11-10"}]
    ledger = csv_rows(equipe.get("/heating/seasons/2024-25/ledger.csv"))
    mine = [r for r in ledger if r["household_code"] == EXAMPLE]
    assert [r["amount"] for r in mine] == ["177,99", "12,51", "-30,50"] and mine[0]["building_code"] == "BEX-01"
    assert mine[2]["recovery_state"] == "to_recover" and mine[2]["created_by"] == "equipe"
    notice = equipe.get(f"/heating/seasons/2024-25/notices.pdf?household={EXAMPLE}")
    assert notice.data.startswith(b"%PDF") and notice.data.count(b"/Type /Page") == 2
    assert coordinator.get("/heating/seasons/2024-25/ledger.csv").status_code == 403  # the equipe's file only


def test_worked_example_in_the_functions_and_the_api(app, runner, db, tmp_path):
    load_example(runner, tmp_path)
    equipe = SimpleNamespace(id=value(db, "SELECT id FROM users WHERE username = 'equipe'"), username="equipe")
    with app.app_context():
        def credit_version(number, day, recovery=None):
            compute("2024-25", "A")
            workflow.move("2024-25", "review")
            workflow.move("2024-25", "approve")
            acts.open_act("2024-25", number, day, equipe)
            acts.credit("2024-25", day, recovery, recovery and day, equipe)

        demo = api.paid_by_season("2024-25")[None]  # the demo's own determina, credited on 2025-07-01
        credit_version("1/2025", "2025-06-20")
        first = api.paid_by_season("2024-25", by="building")
        assert first["BEX-01"] == first[None] - demo == api.paid_between("2025-06-20", "2025-06-21")[None]
        for target, number in (("190.50", "2/2025"), ("160.00", "3/2025")):
            units, flat_24 = CORRECTIONS[target]
            importer.import_readings(readings_csv("2024-25", units, flat_24_units=flat_24).encode())
            credit_version(number, "2025-10-02", recovery=f"R-{number}")
        assert api.paid_by_season("2024-25", by="household")["DEMO-EXA-001"] == 16000
        assert api.recovered_by_season("2024-25", by="household")["DEMO-EXA-001"] == 3050
        assert api.paid_between("2025-10-01", "2025-11-01", by="season")["2024-25"] == \
            api.paid_by_season("2024-25")[None] - first[None]
        assert api.computed_unpaid("2024-25")[None] == 0
        with pytest.raises(ValueError):
            api.paid_by_season("2024-25", by="quartiere")


def test_two_corrections_leave_a_ledger_that_sums_to_each_latest_contribution(app, db):
    equipe = SimpleNamespace(id=value(db, "SELECT id FROM users WHERE username = 'equipe'"), username="equipe")
    with app.app_context():
        bills = plan(db)["2024-25"][0]
        paid_before = api.paid_by_season("2024-25")[None]
        for number, (building, factor), solidarity in ((1, ("B05-01", "1.1"), None), (2, ("B16-01", "0.8"), "400")):
            lines = bills.splitlines()
            for i, line in enumerate(lines):
                if line.startswith(building):
                    cells = line.split(";")
                    cells[2] = str((Decimal(cells[2].replace(",", ".")) * Decimal(factor)).quantize(Decimal("0.1")))
                    lines[i] = ";".join(cells)
            importer.import_bills(("\n".join(lines) + "\n").encode())
            if solidarity:
                importer.import_household_data(
                    f"codice_nucleo;stagione;isee;solidarieta_riscaldamento\nDEMO-BLO-093;2024-25;9000;{solidarity}\n"
                    .encode())
            compute("2024-25", "A")
            workflow.move("2024-25", "review")
            workflow.move("2024-25", "approve")
            act_id = acts.open_act("2024-25", f"{number}00/2025", "2025-10-01", equipe)
            lines_of_act = list(db.query("SELECT * FROM heating_act_lines WHERE act_id = ?", [act_id]))
            assert lines_of_act and all(line["amount_cents"] != 0 for line in lines_of_act)
            acts.credit("2024-25", "2025-10-20", f"R-{number}/2025", "2025-10-10", equipe)
        # The first correction only paid, the second mostly recovered; no line nets the two.
        kinds = list(db.execute("SELECT SUM(amount_cents > 0), SUM(amount_cents < 0) FROM heating_act_lines "
                                "WHERE act_id IN (SELECT id FROM heating_acts WHERE version_id IS NOT NULL "
                                "AND opened_by IS NOT NULL) GROUP BY act_id ORDER BY act_id"))
        assert kinds[-2][0] > 0 == kinds[-2][1] and kinds[-1][1] > 0
        latest = value(db, "SELECT id FROM heating_versions WHERE season = '2024-25' ORDER BY version DESC LIMIT 1")
        rows = list(db.query("SELECT household_code, unit_id, status, amount_cents FROM heating_contributions "
                             "WHERE version_id = ?", [latest]))
        ledger = {(r["household_code"], r["unit_id"]): r["s"] for r in db.query(
            "SELECT household_code, unit_id, SUM(amount_cents) AS s FROM heating_ledger WHERE season = '2024-25' "
            "GROUP BY household_code, unit_id")}
        assert all(ledger.get((r["household_code"], r["unit_id"]), 0) == (r["amount_cents"] or 0) for r in rows)
        assert value(db, "SELECT SUM(amount_cents) FROM heating_ledger WHERE season = '2024-25'") != paid_before
        season = parse_period("2024-25")
        paid = indicators()["heating.contributions_eur"].value(season)[None]
        assert paid == Decimal(sum(ledger.values())) / 100
        recovered = indicators()["heating.recovered_eur"].value(season)[None]
        recoveries = value(db, "SELECT SUM(amount_cents) FROM heating_ledger WHERE kind = 'recovery'")
        assert recovered == Decimal(-recoveries) / 100
        # A recomputation changes what is computed, never what was paid.
        importer.import_bills(bills.encode())
        compute("2024-25", "A")
        assert indicators()["heating.contributions_eur"].value(season)[None] == paid
        assert indicators()["heating.computed_unpaid_eur"].value(season)[None] > 0


def test_the_demo_season_is_paid_through_the_ledger_and_the_tutor_sees_it(login, db):
    assert value(db, "SELECT COUNT(*) FROM heating_acts WHERE determina_number = '1187/2025'") == 1
    assert value(db, "SELECT COUNT(DISTINCT household_code) FROM heating_ledger WHERE season = '2024-25'") > 150
    paid = value(db, "SELECT SUM(amount_cents) FROM heating_ledger WHERE season = '2024-25'")
    index = login("coordinatrice").get("/heating/").get_data(as_text=True)
    cell = index.split('data-testid="paid-2024-25">')[1].split("</td>")[0]
    assert cell == f"{paid // 100:,}".replace(",", ".") + f",{paid % 100:02d}\xa0€"
    household = value(db, "SELECT id FROM households WHERE code = 'DEMO-BLO-093'")
    page = login("tutor.loreto").get(f"/households/{household}").get_data(as_text=True)
    assert "contributo riscaldamento: erogato" in page
    login("equipe").post("/heating/seasons/2024-25/compute", data={"rule": "B"})  # a new version: nothing paid yet
    page = login("tutor.loreto").get(f"/households/{household}").get_data(as_text=True)
    assert "contributo riscaldamento: erogato" in page


def test_the_ledger_is_append_only(db):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE heating_ledger SET amount_cents = 1 WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM heating_ledger")


def test_erasure_keeps_the_ledger_under_the_household_code(runner, db):
    entries = value(db, "SELECT COUNT(*) FROM heating_ledger WHERE household_code = 'DEMO-BLO-093'")
    result = runner.invoke(args=["households", "erase", "DEMO-BLO-093", "--yes"])
    assert result.exit_code == 0, result.output
    assert "heating_ledger: 1 rows kept until 2030-12-31" in result.output
    assert value(db, "SELECT COUNT(*) FROM heating_ledger WHERE household_code = 'DEMO-BLO-093'") == entries == 1


def test_one_determina_open_at_a_time_and_a_newer_version_waits_for_it(login, db):
    equipe, coordinator = login("equipe"), login("coordinatrice")
    approve(equipe, coordinator, "2025-26")
    assert equipe.post("/heating/seasons/2025-26/acts", data={"determina_number": "90/2026",
                                                              "determina_date": "2026-06-01"}).status_code == 303
    open_paid = value(db, "SELECT SUM(amount_cents) FROM heating_act_lines")  # the demo's own act is in the ledger
    approve(equipe, coordinator, "2025-26")  # a new version while the act is open: its difference is nil
    response = equipe.post("/heating/seasons/2025-26/acts", data={"determina_number": "91/2026",
                                                                   "determina_date": "2026-06-02"})
    assert response.status_code == 422 and "ancora aperta (90/2026)" in response.get_data(as_text=True)
    assert equipe.post("/heating/seasons/2025-26/acts/credit", data={"credited_on": "2026-06-05"}).status_code == 303
    assert value(db, "SELECT SUM(amount_cents) FROM heating_act_lines") == open_paid
    response = equipe.post("/heating/seasons/2025-26/acts", data={})
    page = response.get_data(as_text=True)  # everything approved is already paid: an act with nothing in it
    assert value(db, "SELECT COUNT(*) FROM heating_acts WHERE season = '2025-26'") == 2 or "Nessun nucleo" in page
    assert value(db, "SELECT SUM(amount_cents) FROM heating_ledger WHERE season = '2025-26'") == \
        value(db, "SELECT SUM(amount_cents) FROM heating_act_lines l JOIN heating_acts a ON a.id = l.act_id "
                  "WHERE a.season = '2025-26'")


def test_a_closed_season_takes_no_version_or_payment_but_a_recovery_to_collect(login, db):
    equipe, coordinator = login("equipe"), login("coordinatrice")
    assert equipe.post("/heating/seasons/2024-25/close").status_code == 403
    assert coordinator.post("/heating/seasons/2024-25/close").status_code == 303
    assert "Stagione chiusa il" in coordinator.get("/heating/seasons/2024-25").get_data(as_text=True)
    response = equipe.post("/heating/seasons/2024-25/compute", data={"rule": "A"})
    assert response.status_code == 422 and "è chiusa" in response.get_data(as_text=True)
    paid = ledger_of(db, "DEMO-BLO-093")
    form = {"household_code": "DEMO-BLO-093", "amount": f"{paid / 100 + 1:.2f}", "note": "ISEE non veritiero",
            "recovery_number": "R-2/2026", "recovery_date": "2026-11-10"}
    response = equipe.post("/heating/seasons/2024-25/recoveries", data=form)
    assert response.status_code == 422 and "al massimo" in response.get_data(as_text=True)
    response = equipe.post("/heating/seasons/2024-25/recoveries", data={**form, "amount": "50,00"})
    assert response.status_code == 303 and ledger_of(db, "DEMO-BLO-093") == paid - 5000
    entry = value(db, "SELECT id FROM heating_ledger WHERE kind = 'recovery'")
    notice = equipe.get("/heating/seasons/2024-25/notices.pdf?household=DEMO-BLO-093")
    assert notice.data.startswith(b"%PDF") and b"241/1990" in notice.data and b"pagoPA" in notice.data
    assert equipe.post(f"/heating/seasons/2024-25/recoveries/{entry}",
                       data={"state": "collected", "settled_on": "2030-01-01"}).status_code == 422
    assert equipe.post(f"/heating/seasons/2024-25/recoveries/{entry}",
                       data={"state": "collected", "settled_on": "2026-11-18", "note": "pagoPA"}).status_code == 303
    assert value(db, "SELECT state FROM heating_recoveries WHERE entry_id = ?", [entry]) == "collected"
    assert value(db, "SELECT COUNT(*) FROM events WHERE entity = 'heating_recovery'") == 1


def test_a_recovery_is_offset_against_a_later_payment_and_both_entries_stay(app, login, db):
    coordinator, equipe = login("coordinatrice"), login("equipe")
    approve(equipe, coordinator, "2025-26")
    code = value(db, "SELECT household_code FROM heating_contributions WHERE season = '2025-26' "
                     "AND status = 'approved' AND amount_cents > 2000 AND household_code IN "
                     "(SELECT household_code FROM heating_ledger WHERE season = '2024-25' AND amount_cents > 2000) "
                     "ORDER BY household_code")
    coordinator.post("/heating/seasons/2024-25/close")
    equipe.post("/heating/seasons/2024-25/recoveries", data={
        "household_code": code, "amount": "20,00", "note": "controllo ISEE",
        "recovery_number": "R-3/2026", "recovery_date": "2026-11-10"})
    recovery = value(db, "SELECT id FROM heating_ledger WHERE kind = 'recovery'")
    equipe.post("/heating/seasons/2025-26/acts", data={"determina_number": "95/2026", "determina_date": "2026-11-12"})
    equipe.post("/heating/seasons/2025-26/acts/credit", data={"credited_on": "2026-11-16"})
    payment = value(db, "SELECT id FROM heating_ledger WHERE household_code = ? AND season = '2025-26'", [code])
    response = equipe.post(f"/heating/seasons/2024-25/recoveries/{recovery}",
                           data={"state": "offset", "offset_entry_id": str(payment)})
    assert response.status_code == 303
    state = next(db.query("SELECT * FROM heating_recoveries WHERE entry_id = ?", [recovery]))
    assert (state["state"], state["offset_entry_id"]) == ("offset", payment)
    assert value(db, "SELECT amount_cents FROM heating_ledger WHERE id = ?", [recovery]) == -2000
    assert value(db, "SELECT amount_cents FROM heating_ledger WHERE id = ?", [payment]) > 2000


def test_cases_to_check_state_their_reason_and_a_settlement_carries_over(login, db):
    equipe = login("equipe")
    equipe.post("/heating/seasons/2025-26/compute", data={"rule": "A"})
    cases = {r["household_code"]: r for r in db.query(
        "SELECT * FROM heating_contributions WHERE season = '2025-26' AND status = 'to_check'")}
    assert {c["reason"] for c in cases.values()} == {"estimated", "units_outlier"}  # estimates are held by default
    held = cases["DEMO-BLO-095"]
    page = equipe.get(f"/heating/contributions/{held['id']}").get_data(as_text=True)
    assert "Lettura stimata" in page and "Registra la decisione" in page
    response = equipe.post(f"/heating/contributions/{held['id']}/settle", data={"decision": "estimate", "note": ""})
    assert response.status_code == 422
    assert equipe.post(f"/heating/contributions/{held['id']}/settle",
                       data={"decision": "estimate", "note": "stima confermata dal gestore"}).status_code == 303
    settled = next(db.query("SELECT * FROM heating_contributions WHERE id = ?", [held["id"]]))
    assert settled["status"] == "computed" and settled["amount_cents"] is not None
    equipe.post("/heating/seasons/2025-26/compute", data={"rule": "A"})  # a later version carries the decision
    again = next(db.query("SELECT * FROM heating_contributions WHERE household_code = 'DEMO-BLO-095' "
                          "AND season = '2025-26' ORDER BY id DESC"))
    assert again["status"] == "computed" and again["amount_cents"] == settled["amount_cents"]
    assert json.loads(again["inputs"])["settlement"]["note"] == "stima confermata dal gestore"
    page = equipe.get(f"/heating/contributions/{again['id']}").get_data(as_text=True)
    assert "stima confermata dal gestore" in page and "Paga come calcolato" in page
    assert value(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'heating_settlement' AND target = ?",
                 [held["household_code"]]) == 1
    faulty = cases["DEMO-CEN-025"]
    equipe.post(f"/heating/contributions/{faulty['id']}/settle",
                data={"decision": "hold", "note": "ripartitore guasto"})
    assert value(db, "SELECT status FROM heating_contributions WHERE id = ?", [faulty["id"]]) == "to_check"


def test_a_settlement_pays_pro_rata_by_days_and_the_why_page_shows_it(login, db):
    row = next(db.query("SELECT * FROM heating_contributions WHERE household_code = 'DEMO-BLO-094'"))
    page = login("coordinatrice").get(f"/heating/contributions/{row['id']}").get_data(as_text=True)
    assert 'data-testid="pro-rata"' in page and "× 93 / 183" in page and "In proporzione ai giorni" in page


@pytest.mark.parametrize("path", ["determina.csv", "letters.pdf", "recoveries.csv", "notices.pdf"])
def test_nothing_payable_is_a_page_that_says_so(shared_login, path):
    response = shared_login("equipe").get(f"/heating/seasons/2025-26/{path}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Nulla da pagare" in page or "Nulla da recuperare" in page


def test_earlier_credits_become_ledger_entries_when_the_database_is_upgraded(tmp_path):
    import sqlite_utils

    from fieldapp.heating.migrations import _ledger_of_earlier_credits, m001_heating, m002_payments_ledger

    old = sqlite_utils.Database(tmp_path / "old.db")
    old.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
    old.execute("CREATE TABLE buildings (id INTEGER PRIMARY KEY)")
    old.execute("CREATE TABLE units (id INTEGER PRIMARY KEY)")
    old["units"].insert({"id": 1})
    m001_heating(old)
    for version, amount in ((1, 10000), (2, 12000)):  # the old flow paid both versions in full
        old["heating_versions"].insert({"id": version, "season": "2024-25", "version": version, "rule": "A",
                                        "rule_version": "1", "created_at": "2025-05-01T08:00:00Z"})
        old["heating_contributions"].insert({
            "version_id": version, "season": "2024-25", "household_code": "DEMO-X-1", "unit_id": 1,
            "cost_current_cents": 0, "cost_current_allowed_cents": 0, "amount_cents": amount, "status": "credited",
            "inputs": "{}", "rule": "A", "rule_version": "1", "updated_at": f"2025-0{5 + version}-30T08:00:00Z"})
    m002_payments_ledger(old)
    assert [(r["amount_cents"], r["paid_before_cents"], r["act_number"]) for r in old.query(
        "SELECT * FROM heating_ledger ORDER BY id")] == [(10000, 0, "n.d."), (12000, 10000, "n.d.")]
    assert callable(_ledger_of_earlier_credits)
