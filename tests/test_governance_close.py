"""Period close and the report to the Region, through the coordinator's pages and the CLI."""
import re
from datetime import datetime

import pytest
import time_machine

from fieldapp.db import new_uuid
from tests.conftest import ROME
from tests.governance_close_data import CODES, cells, close_indicators, pdf_text

TABLES = ("locked_periods", "period_snapshots", "snapshot_values", "snapshot_records", "snapshot_activity",
          "period_events", "audit_log")


@pytest.fixture(autouse=True)
def indicators(app):
    with close_indicators(app):
        yield


def counts(db):
    return {t: db[t].count for t in TABLES}


def a_visit(db, presidio, day):
    return next(db.query(
        "SELECT v.uuid, v.household_id FROM visits v JOIN households h ON h.id = v.household_id "
        "JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id "
        "WHERE b.presidio_code = ? AND v.visited_at LIKE ? || '%' LIMIT 1", [presidio, day]))


def a_building(db, presidio):
    return next(db.query("SELECT id, lat, lon FROM buildings WHERE presidio_code = ? LIMIT 1", [presidio]))


def add_problems(db):
    """A visit of P-CEN entered 10 days late, a P-BLO report still waiting for its photo, an idle presidio."""
    visit = next(db.query(
        "SELECT v.uuid FROM visits v JOIN households h ON h.id = v.household_id JOIN units u ON u.id = h.unit_id "
        "JOIN buildings b ON b.id = u.building_id WHERE b.presidio_code = 'P-CEN' AND v.visited_at >= '2026-11-01' "
        "AND v.visited_at < '2026-11-06' LIMIT 1"))["uuid"]
    db.execute("UPDATE visits SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', substr(visited_at, 1, 10), '+10 days') "
               "WHERE uuid = ?", [visit])
    building = a_building(db, "P-BLO")
    db["reports"].insert({"uuid": new_uuid(), "building_id": building["id"], "area": "stairs", "category": "waste",
                          "severity": "low", "status": "new", "lat": building["lat"], "lon": building["lon"],
                          "location_source": "building", "expected_photos": 2, "created_at": "2026-11-12T09:00:00Z",
                          "created_by": 1, "source": "staff"})
    db["presidi"].insert({"code": "P-TST", "name": "Presidio di prova"})
    db.conn.commit()
    return visit


def test_locking_with_problems_names_period_and_presidio_and_changes_nothing(login, db):
    add_problems(db)
    coordinator = login("coordinatrice")
    page = coordinator.get("/governance/close/2026-11").get_data(as_text=True)
    assert page.index("Controllo di completezza") < page.index("Chiudi il mese")  # the check comes first
    before = counts(db)
    response = coordinator.post("/governance/close/2026-11/lock", data={})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'data-testid="close-error">(.*?)</div>', text, re.S).group(1)
    assert "2026-11 non è stato chiuso" in error
    assert "2026-11, presidio P-BLO: 1 registrazione aspetta ancora foto da un telefono" in error
    assert "2026-11, presidio P-CEN: 1 registrazione inserita in ritardo" in error
    assert "2026-11, presidio P-TST Presidio di prova: nessuna attività registrata" in error
    assert "2026-11 non è ancora finito" in error  # the clock is on 18 November
    assert counts(db) == before


def test_close_snapshots_every_indicator_then_shows_what_changed_after_close(login, db, app):
    coordinator = login("coordinatrice")
    response = coordinator.post("/governance/close/2026-11/lock", data={"acknowledge": "yes"})
    assert response.status_code == 303
    lock = next(db.query("SELECT * FROM locked_periods"))
    assert (lock["period_key"], lock["starts_on"], lock["ends_on"]) == ("2026-11", "2026-11-01", "2026-11-30")
    values = {(r["indicator_code"], r["by"], r["key"]): r["value"] for r in db.query(
        "SELECT * FROM snapshot_values WHERE snapshot_id = ?", [lock["snapshot_id"]])}
    with app.app_context():
        from fieldapp.indicators import periods
        from tests.governance_close_data import visits_by_presidio

        live = visits_by_presidio(periods.parse("2026-11"), by="presidio")
    assert values[(CODES[0], "", "")] == sum(live.values()) > 0
    assert {k: v for (c, b, k), v in values.items() if b == "presidio"} == live
    assert (CODES[1], "", "") in values
    event = next(db.query("SELECT * FROM period_events"))
    assert event["action"] == "locked" and "non è ancora finito" in event["reason"]
    audit = next(db.query("SELECT * FROM audit_log WHERE action = 'period_locked'"))
    assert audit["target"] == "2026-11" and audit["username"].startswith("h:")
    assert coordinator.post("/governance/close/2026-11/lock", data={"acknowledge": "yes"}).status_code == 422
    assert "Niente è cambiato dalla chiusura" in coordinator.get("/governance/close/2026-11").get_data(as_text=True)

    # A visit of the closed month changes, another arrives: the page says so, with the difference.
    changed = a_visit(db, "P-BLO", "2026-11-1")
    db.execute("UPDATE visits SET outcome = 'not_home', version = version + 1 WHERE uuid = ?", [changed["uuid"]])
    added = new_uuid()
    db["visits"].insert({**next(db.query("SELECT * FROM visits WHERE uuid = ?", [changed["uuid"]])),
                         "uuid": added, "created_at": "2026-11-18T09:00:00Z"})
    db.conn.commit()
    page = coordinator.get("/governance/close/2026-11").get_data(as_text=True)
    assert "modificato dopo la chiusura" in page
    figures = re.search(r'data-testid="changed-figures">(.*?)</table>', page, re.S).group(1)
    total = int(values[(CODES[0], "", "")])
    assert re.search(rf"Visite di prova</td><td>totale</td><td>{total}(\.0)?</td><td>{total + 1}(\.0)?</td>"
                     r"<td>\+1</td>", figures)
    assert re.search(r"Visite di prova</td><td>presidio: P-BLO</td>", figures)
    changed_rows = re.search(r'data-testid="changed-records">(.*?)</table>', page, re.S).group(1)
    assert f"<code>{changed['uuid'][:8]}</code>" in changed_rows and f"<code>{added[:8]}</code>" in changed_rows
    assert "aggiunto dopo la chiusura" in changed_rows and "P-BLO" in changed_rows
    assert f'href="/visits/{changed["uuid"]}"' in changed_rows  # the record itself, one tap away


def test_reopening_needs_a_reason_and_is_audited(login, db):
    coordinator = login("coordinatrice")
    coordinator.post("/governance/close/2026-10/lock", data={"acknowledge": "yes"})
    before = counts(db)
    response = coordinator.post("/governance/close/2026-10/reopen", data={"reason": "   "})
    assert response.status_code == 422 and "Scrivi perché riapri 2026-10" in response.get_data(as_text=True)
    assert counts(db) == before
    response = coordinator.post("/governance/close/2026-10/reopen", data={"reason": "Visite di ottobre caricate tardi"})
    assert response.status_code == 303
    assert db["locked_periods"].count == 0
    event = next(db.query("SELECT * FROM period_events WHERE action = 'reopened'"))
    assert event["reason"] == "Visite di ottobre caricate tardi"
    audit = next(db.query("SELECT * FROM audit_log WHERE action = 'period_reopened'"))
    assert audit["target"] == "2026-10" and "Visite di ottobre caricate tardi" in audit["detail"]
    assert "coordinatrice" not in (audit["username"] or "") and audit["username"].startswith("h:")
    page = coordinator.get("/governance/close/2026-10").get_data(as_text=True)
    assert "mese riaperto" in page and "Visite di ottobre caricate tardi" in page
    assert coordinator.post("/governance/close/2026-10/reopen", data={"reason": "ancora"}).status_code == 422


@pytest.mark.parametrize("key", ["2026-13", "novembre", "2026-Q4", "9999-12"])
def test_unknown_or_unclosable_period_keys_get_a_clear_message_and_change_nothing(login, db, key):
    coordinator = login("coordinatrice")
    before = counts(db)
    for method, url in (("GET", f"/governance/close/{key}"), ("POST", f"/governance/close/{key}/lock"),
                        ("POST", f"/governance/close/{key}/reopen"), ("GET", f"/governance/report/{key}.xlsx")):
        response = coordinator.open(url, method=method, data={"acknowledge": "yes", "reason": "x"})
        assert response.status_code == 404, url
        assert re.search(r"Il periodo .* non esiste|Si può chiudere solo un mese", response.get_data(as_text=True))
    assert counts(db) == before


def test_a_future_month_cannot_be_closed(login, db):
    response = login("coordinatrice").post("/governance/close/2027-01/lock", data={"acknowledge": "yes"})
    assert response.status_code == 422 and "non è ancora iniziato" in response.get_data(as_text=True)
    assert db["locked_periods"].count == 0


def report(runner, tmp_path, name):
    out, pdf = tmp_path / f"{name}.xlsx", tmp_path / f"{name}.pdf"
    result = runner.invoke(args=["governance", "report", "--period", "2026-11", "--out", str(out), "--pdf", str(pdf)])
    assert result.exit_code == 0, result.output
    return out, pdf


def without_creation_time(sheets, pdf):
    sheets = {name: [r for r in rows if r[0] != "Creato il"] for name, rows in sheets.items()}
    return sheets, [line for line in pdf_text(pdf) if not line.startswith("Creato il")]


def test_the_report_of_a_closed_month_is_the_same_every_time_apart_from_its_creation_time(login, db, runner, tmp_path):
    assert login("coordinatrice").post("/governance/close/2026-11/lock", data={"acknowledge": "yes"}).status_code == 303
    first_xlsx, first_pdf = report(runner, tmp_path, "first")
    wb, first = cells(first_xlsx)
    assert "PROVVISORIO" not in str(first) and first["Sintesi"][4][1].startswith("Definitivo")
    # Later, records of November change: the frozen figures do not.
    visit = a_visit(db, "P-BLO", "2026-11-1")
    db.execute("DELETE FROM followups WHERE visit_uuid = ?", [visit["uuid"]])
    db.execute("DELETE FROM visits WHERE uuid = ?", [visit["uuid"]])
    db.conn.commit()
    with time_machine.travel(datetime(2026, 12, 3, 9, 15, tzinfo=ROME), tick=True):
        second_xlsx, second_pdf = report(runner, tmp_path, "second")
    wb2, second = cells(second_xlsx)
    assert wb.properties.created.date().isoformat() == "2026-11-18"  # the app's clock, not the real day
    assert wb2.properties.created.date().isoformat() == "2026-12-03"
    assert (without_creation_time(first, first_pdf.read_bytes())
            == without_creation_time(second, second_pdf.read_bytes()))
    assert any("Creato il 03/12/2026" in line for line in pdf_text(second_pdf.read_bytes()))
    # The live figure did move: the page says so.
    page = login("coordinatrice").get("/governance/close/2026-11").get_data(as_text=True)
    assert "tolto dopo la chiusura" in page


def test_an_open_month_gives_a_provisional_report_by_line_with_real_dates_and_staff_by_role(login, db):
    coordinator = login("coordinatrice")
    response = coordinator.get("/governance/report/2026-11.xlsx")
    assert response.status_code == 200 and "rendiconto-regione-2026-11.xlsx" in response.headers["Content-Disposition"]
    wb, sheets = cells(response.data)
    assert list(sheets) == ["Sintesi", "Linea 1 - servizi", "Linea 2 - contributi", "Indicatori",
                            "Attività del personale", "Fonti"]
    assert sheets["Sintesi"][4][1].startswith("PROVVISORIO")
    for name in list(sheets)[1:]:
        assert sheets[name][0][0].startswith("PROVVISORIO"), name
        assert wb[name].freeze_panes == "A4" and wb[name].auto_filter.ref.startswith("A3:")
    line1 = [r[1] for r in sheets["Linea 1 - servizi"][3:]]
    line2 = [r[1] for r in sheets["Linea 2 - contributi"][3:]]
    assert CODES[0] in line1 and "households.reached" in line1 and "visits.by_kind" in line1
    assert CODES[1] in line2 and not set(line1) & set(line2)
    assert not [code for code in line1 if code.startswith("heating.")]
    assert isinstance(sheets["Sintesi"][2][1], datetime) and sheets["Sintesi"][3][1] == datetime(2026, 11, 30)
    activity = sheets["Attività del personale"][3:]
    assert activity and all(row[0] == datetime(2026, 11, 1) for row in activity)
    tutors = next(r for r in activity if r[1] == "Tutor condominiale" and r[2] == "Tutor condominiali")
    visits = db.execute("SELECT count(*) FROM visits v JOIN users u ON u.id = v.created_by WHERE "
                        "u.role = 'tutor' AND visited_at >= '2026-11-01' AND visited_at < '2026-12-01'").fetchone()[0]
    followups = db.execute("SELECT count(*) FROM followups f JOIN users u ON u.id = f.done_by WHERE u.role = 'tutor' "
                           "AND done_at >= '2026-10-31T23:00:00Z' AND done_at < '2026-11-30T23:00:00Z'").fetchone()[0]
    assert tutors[3] == visits + followups
    names = {r["display_name"] for r in db.query("SELECT display_name FROM users")} | {
        r["username"] for r in db.query("SELECT username FROM users")}
    assert not names & {c for rows in sheets.values() for row in rows for c in row if isinstance(c, str)}
    pdf = coordinator.get("/governance/report/2026-11.pdf")
    assert pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "PROVVISORIO" in text and "Rendiconto alla Regione 2026-11" in text and "Linea 2 - contributi" in text
    assert db.execute("SELECT count(*) FROM audit_log "
                      "WHERE action = 'export' AND target LIKE 'region_report%'").fetchone()[0] == 2


def test_the_cli_refuses_an_unknown_period_and_writes_nothing(runner, tmp_path):
    result = runner.invoke(args=["governance", "report", "--period", "2026-13", "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 1 and "2026-13" in result.output and not (tmp_path / "r.xlsx").exists()


def test_an_indicator_that_fails_is_named_and_nothing_is_closed(app, login, db):
    from fieldapp.indicators.registry import EXTENSION_KEY, indicator, install

    def broken(period, by=None, scope=None):
        raise ZeroDivisionError

    install(app, [indicator("test.broken", "Rotto", service="community", tables=("meetings",))(broken)])
    try:
        coordinator = login("coordinatrice")
        before = counts(db)
        response = coordinator.post("/governance/close/2026-10/lock", data={"acknowledge": "yes"})
        assert response.status_code == 422
        assert ("Non è stato possibile calcolare l&#39;indicatore test.broken per 2026-10"
                in response.get_data(as_text=True))
        assert coordinator.get("/governance/report/2026-10.xlsx").status_code == 422
        assert counts(db) == before
    finally:
        app.extensions[EXTENSION_KEY].pop("test.broken")


def test_the_dashboard_of_a_closed_month_marks_the_figures_that_moved_since(login, db):
    coordinator = login("coordinatrice")
    assert 'data-testid="closed-period"' not in coordinator.get("/governance/?period=2026-11").get_data(as_text=True)
    coordinator.post("/governance/close/2026-11/lock", data={"acknowledge": "yes"})
    page = coordinator.get("/governance/?period=2026-11").get_data(as_text=True)
    notice = re.search(r'data-testid="closed-period">(.*?)</p>', page, re.S).group(1)
    assert "è stato chiuso il" in notice and "nessuna cifra è cambiata" in notice
    assert 'href="/governance/close/2026-11"' in notice and 'data-testid="at-close"' not in page

    visit = a_visit(db, "P-BLO", "2026-11-1")
    total = int(next(db.query("SELECT value FROM snapshot_values WHERE indicator_code = ? AND by = ''",
                              [CODES[0]]))["value"])
    at_blo = int(next(db.query("SELECT value FROM snapshot_values WHERE indicator_code = ? AND by = 'presidio' "
                               "AND key = 'P-BLO'", [CODES[0]]))["value"])
    db["visits"].insert({**next(db.query("SELECT * FROM visits WHERE uuid = ?", [visit["uuid"]])),
                         "uuid": new_uuid(), "created_at": "2026-11-18T09:00:00Z"})
    db.conn.commit()
    page = coordinator.get("/governance/?period=2026-11").get_data(as_text=True)
    notice = re.search(r'data-testid="closed-period">(.*?)</p>', page, re.S).group(1)
    moved = page.count('data-testid="at-close"')
    assert moved >= 1 and re.search(rf"\b{moved} (cifra è cambiata|cifre sono cambiate) da allora", notice)
    row = re.search(rf'<tr data-indicator="{CODES[0]}">(.*?)</tr>', page, re.S).group(1)
    assert re.search(rf'data-testid="value">(<a [^>]*>)?{total + 1}(</a>)?<br>', row)
    assert f"alla chiusura: {total}<" in row
    # A presidio's dashboard compares with that presidio's figure at the close; another presidio did not move.
    row = re.search(rf'<tr data-indicator="{CODES[0]}">(.*?)</tr>',
                    coordinator.get("/governance/?period=2026-11&presidio=P-BLO").get_data(as_text=True), re.S).group(1)
    assert f"alla chiusura: {at_blo}<" in row
    page = coordinator.get("/governance/?period=2026-11&presidio=P-CEN").get_data(as_text=True)
    assert 'data-testid="at-close"' not in page
