"""The report to the Region for any period, on the demo data: the calendar, Linea 2 against the heating ledger,
running totals, targets and costs, quarters closed from their months, and Italian words in every cell."""
import io
import re
from datetime import date, datetime

import pytest

from fieldapp.access import ROLE_LABELS
from fieldapp.indicators import periods
from fieldapp.indicators.registry import DISAGGREGATIONS, SERVICE_LABELS, UNITS, indicators
from fieldapp.registry.vocab import PILOT_AREAS
from tests.governance_close_data import cells, pdf_text

SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
DOTTED = re.compile(r"\b[a-z]+\.[a-z_]+\b")  # an indicator's code
CODED = re.compile(r"\b(B\d\d-\d\d|P-[A-Z]{3}|DEMO-[A-Z]{3}-\d+)\b")  # building, presidio, household codes
ENGLISH = re.compile(r"\b(the|of|and|households|contributions|Report)\b")


def report(runner, tmp_path, key):
    out, pdf = tmp_path / f"{key}.xlsx", tmp_path / f"{key}.pdf"
    result = runner.invoke(args=["governance", "report", "--period", key, "--out", str(out), "--pdf", str(pdf)])
    assert result.exit_code == 0, result.output
    return cells(out)[1], pdf_text(pdf.read_bytes())


def row(sheet, name):
    return next(r for r in sheet if len(r) > 1 and r[1] == name)


def vocabulary(app):
    """Every code a figure could be keyed or labelled by: a cell holding one shows a code, not a name."""
    with app.app_context():
        codes = set(DISAGGREGATIONS) | set(SERVICE_LABELS) | set(ROLE_LABELS) | set(UNITS) | set(PILOT_AREAS)
        for ind in indicators().values():
            codes |= {key for labels in (ind.key_labels or {}).values() for key in labels}
    return {c for c in codes if c}


def test_the_calendar_holds_both_seasons_and_an_extension_moves_only_the_end(app):
    with app.app_context():
        years = periods.project_years()
        assert [(y.key, y.start, y.last) for y in years] == [
            ("PY1", date(2024, 10, 1), date(2025, 9, 30)), ("PY2", date(2025, 10, 1), date(2026, 9, 30)),
            ("PY3", date(2026, 10, 1), date(2026, 12, 31))]
        first, second = periods.calendar_seasons()
        assert (first.start, first.last, second.start, second.last) == (
            date(2024, 10, 15), date(2025, 4, 15), date(2025, 10, 15), date(2026, 4, 15))
        assert years[0].start <= first.start and first.end <= years[0].end
        assert periods.of_day("project_year", second.start).key == "PY2"
        app.config["PROJECT_END"] = "2027-06-30"
        extended = periods.project_years()
        assert [(y.start, y.end) for y in extended[:2]] == [(y.start, y.end) for y in years[:2]]
        assert extended[2].last == date(2027, 6, 30) and len(extended) == 3
        with pytest.raises(periods.PeriodError):
            periods.parse("PY4")


def test_the_season_report_fills_linea_2_with_the_ledgers_paid_total(app, runner, tmp_path):
    with app.app_context():
        from fieldapp.heating import api

        paid = api.paid_by_season("2024-25")[None] / 100
    sheets, pdf = report(runner, tmp_path, "2024-25")
    line2 = sheets["Linea 2 - contributi"]
    paid_row = row(line2, "Contributi riscaldamento pagati, EUR (al netto dei recuperi)")
    assert paid_row[3] == pytest.approx(paid) and paid > 0
    start = next(i for i, r in enumerate(line2) if r[0] and str(r[0]).startswith("Stagione termica 2024-25"))
    assert "Regola A" in line2[start][0]
    assert line2[start + 1][:8] == ["Stabile", "Nuclei ammissibili", "Contributi calcolati", "Calcolati, EUR",
                                    "Contributi approvati", "Approvati, EUR", "Pagati, EUR", "Recuperati, EUR"]
    by_building = line2[start + 2:line2.index(next(r for r in line2[start:] if r[0] == "Totale"))]
    total = next(r for r in line2[start:] if r[0] == "Totale")
    assert total[6] == pytest.approx(paid) == pytest.approx(sum(r[6] for r in by_building))
    assert total[1] == 172 and all(r[0].startswith(("Via ", "Vicolo ")) for r in by_building)
    assert "Stagione termica 2024-25: regola A" in pdf


def test_the_project_to_date_report_carries_running_totals_targets_and_costs(login, db):
    coordinator = login("coordinatrice")
    response = coordinator.get("/governance/report/project.xlsx")
    assert response.status_code == 200 and "rendiconto-regione-project.xlsx" in response.headers["Content-Disposition"]
    _wb, sheets = cells(response.data)
    visits = db.execute("SELECT count(*) FROM visits WHERE visited_at >= '2024-10-01'").fetchone()[0]
    line1 = sheets["Linea 1 - servizi"]
    assert line1[2][3:8] == ["Nel periodo", "Dall'inizio del progetto", "Obiettivo", "Confrontato con",
                             "Raggiunto, % dell'obiettivo"]
    shown = row(line1, "Visite domiciliari")
    assert shown[2:8] == ["visite", visits, visits, 400 + 900 + 250, "il progetto fino a oggi",
                          round(visits / 1550 * 100, 1)]
    assert row(line1, "Azioni di follow-up svolte in tempo")[2] == "%"
    assert row(line1, "Costo degli interventi eseguiti")[2] == "EUR"
    costs = sheets["Costi"]
    tutors = next(r for r in costs if r[1] == "Ore del personale: Tutor condominiale")
    assert tutors[0] == "Linea 1 - servizi" and tutors[2] == "figurativo (quota forfettaria): ore in parte stimate"
    assert tutors[3] > tutors[4] > 0 and tutors[5] == 26
    assert tutors[6] == pytest.approx(round(tutors[3] * 26, 2), abs=0.06)
    assert [r[2] for r in costs if r[1] == "Contributi per il riscaldamento pagati"] == ["effettivo"]
    assert any("quota forfettaria" in str(r[0]) and "non una spesa ammissibile" in str(r[0]) for r in costs)
    pdf = coordinator.get("/governance/report/project.pdf")
    assert pdf.status_code == 200 and "Rendiconto alla Regione: Il progetto fino a oggi" in pdf_text(pdf.data)


def test_no_cell_of_any_report_holds_a_code_an_id_or_english(app, runner, tmp_path, db):
    codes = vocabulary(app)
    names = {r[0] for r in db.execute("SELECT username FROM users")} | {
        r[0] for r in db.execute("SELECT display_name FROM users")}
    for key in ("2026-11", "2024-25", "PY1", "project"):
        sheets, pdf = report(runner, tmp_path, key)
        texts = [(f"{sheet} {number}", cell) for sheet, rows in sheets.items() for number, r in enumerate(rows)
                 for cell in r if isinstance(cell, str)]
        assert all(not cell.isdigit() for _where, cell in texts), key  # an id where a name belongs
        for where, text in [*texts, *((f"PDF {key}", line) for line in pdf)]:
            found = (SNAKE.findall(text) + DOTTED.findall(text) + CODED.findall(text) + ENGLISH.findall(text)
                     + [w for w in re.findall(r"[a-z_]+", text) if w in codes and w == text.strip()])
            assert not found, (key, where, text)
            assert text not in names, (key, where)
        if key == "2026-11":
            # Every figure comes for its month and since the project's start (the visits since October 2024).
            since = db.execute("SELECT count(*) FROM visits WHERE visited_at < '2026-12-01'").fetchone()[0]
            assert row(sheets["Linea 1 - servizi"], "Visite domiciliari")[4] == since


def close(client, key):
    return client.post(f"/governance/close/{key}/lock", data={"acknowledge": "yes"})


def test_a_quarter_closes_once_its_months_are_closed_adding_up_their_sums(login, db):
    coordinator = login("coordinatrice")
    refused = close(coordinator, "2026-Q3")
    assert refused.status_code == 422 and "mesi ancora aperti: 2026-07, 2026-08, 2026-09" in refused.get_data(
        as_text=True)
    for month in ("2026-07", "2026-08", "2026-09"):
        assert close(coordinator, month).status_code == 303
    assert close(coordinator, "2026-Q3").status_code == 303

    def frozen(key, code):
        return db.execute("SELECT v.value FROM snapshot_values v JOIN locked_periods l USING (snapshot_id) "
                          "WHERE l.period_key = ? AND v.indicator_code = ? AND v.by = ''", [key, code]).fetchone()[0]

    months = ("2026-07", "2026-08", "2026-09")
    assert frozen("2026-Q3", "visits.by_kind") == sum(frozen(m, "visits.by_kind") for m in months)
    reached = db.execute("SELECT count(DISTINCT household_id) FROM visits WHERE visited_at >= '2026-07-01' "
                         "AND visited_at < '2026-10-01'").fetchone()[0]
    assert frozen("2026-Q3", "households.reached") >= reached  # distinct over the quarter, not a sum of months
    assert frozen("2026-Q3", "households.reached") < sum(frozen(m, "households.reached") for m in months)
    reopened = coordinator.post("/governance/close/2026-08/reopen", data={"reason": "Verifica"})
    assert reopened.status_code == 422 and "fa parte di 2026-Q3, che è chiuso" in reopened.get_data(as_text=True)
    _wb, sheets = cells(coordinator.get("/governance/report/2026-Q3.xlsx").data)
    assert sheets["Sintesi"][4][1].startswith("Definitivo")
    assert row(sheets["Linea 1 - servizi"], "Visite domiciliari")[3] == frozen("2026-Q3", "visits.by_kind")
    assert isinstance(sheets["Sintesi"][2][1], datetime)


def test_targets_are_typed_or_imported_and_rates_set_by_the_coordinator(login, db):
    coordinator = login("coordinatrice")
    page = coordinator.get("/governance/targets").get_data(as_text=True)
    assert "Obiettivi per anno di progetto" in page and "Tariffa oraria di ogni ruolo" in page

    def target(code, year):
        found = db.execute("SELECT value FROM indicator_targets WHERE indicator_code = ? AND period_key = ?",
                           [code, year]).fetchone()
        return found and found[0]

    assert coordinator.post("/governance/targets", data={"target-visits.by_kind-PY1": "1.200"}).status_code == 303
    assert target("visits.by_kind", "PY1") == 1200 and target("visits.by_kind", "PY2") is None
    refused = coordinator.post("/governance/targets", data={"target-visits.by_kind-PY1": "tanti"})
    assert refused.status_code == 422 and target("visits.by_kind", "PY1") == 1200
    assert "«tanti» non è un numero" in refused.get_data(as_text=True)
    assert coordinator.post("/governance/rates", data={"rate-tutor": "2.000"}).status_code == 422  # the bounds
    exported = coordinator.get("/governance/targets.csv").data.decode("utf-8-sig")
    assert exported.startswith("codice;indicatore;PY1;PY2;PY3")
    assert "visits.by_kind;Visite domiciliari;1200;;" in exported
    upload = b"codice;indicatore;PY1;PY2;PY3\r\nvisits.by_kind;Visite;950;1.100,5;\r\n"
    imported = coordinator.post("/governance/targets/import", data={"file": (io.BytesIO(upload),
                                                                             "obiettivi.csv")})
    assert imported.status_code == 303
    assert (target("visits.by_kind", "PY1"), target("visits.by_kind", "PY2")) == (950, 1100.5)
    bad = b"codice;PY1\r\nnon.esiste;10\r\n"
    refused = coordinator.post("/governance/targets/import", data={"file": (io.BytesIO(bad), "x.csv")})
    assert refused.status_code == 422 and "nessun indicatore con codice non.esiste" in refused.get_data(as_text=True)
    assert coordinator.post("/governance/rates", data={"rate-tutor": "28,50"}).status_code == 303
    assert db.execute("SELECT cents_per_hour FROM staff_rates WHERE role = 'tutor'").fetchone()[0] == 2850
