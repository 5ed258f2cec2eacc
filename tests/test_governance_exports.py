"""Exports of every area: each role downloads everything it may, and never a row outside its scope."""
import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from tests.test_access import WHO

EVERYTHING = "from=2000-01-01&to=2099-12-31"
DATASETS = ("visits", "followups", "reports", "meetings", "audit")
# Who may download what (tutor_other_presidio is a tutor of P-CEN).
ALLOWED = {
    "visits": {"tutor", "coordinator"},
    "followups": {"tutor", "coordinator"},
    "reports": {"tutor", "operator", "community", "coordinator"},
    "meetings": {"tutor", "community", "coordinator"},
    "audit": {"coordinator"},
}


def csv_rows(response):
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf"), "Italian Excel needs the BOM"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def user(db, username):
    return next(db.query("SELECT id, role, presidio_code FROM users WHERE username = ?", [username]))


def expected_visits(db, presidio):
    return next(db.query("""
        SELECT COUNT(*) AS n FROM visits v JOIN households h ON h.id = v.household_id
        JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id
        WHERE ? IS NULL OR b.presidio_code = ?""", [presidio, presidio]))["n"]


def expected_followups(db, presidio):
    return next(db.query("""
        SELECT COUNT(*) AS n FROM followups f JOIN households h ON h.id = f.household_id
        JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id
        WHERE ? IS NULL OR b.presidio_code = ?""", [presidio, presidio]))["n"]


def visible_reports(db, reader):
    """Short id -> presidio of every report the reader sees in the app."""
    rows = db.query("""SELECT r.uuid, r.created_by, b.presidio_code FROM reports r
                       JOIN buildings b ON b.id = r.building_id""")
    return {row["uuid"][:8]: row["presidio_code"] for row in rows
            if reader["role"] != "tutor" or row["presidio_code"] == reader["presidio_code"]
            or row["created_by"] == reader["id"]}


@pytest.mark.parametrize("who", WHO)
def test_every_role_exports_everything_it_may_and_nothing_outside_its_scope(app, login, db, who):
    username = WHO[who]
    client = app.test_client() if username is None else login(username)
    reader = user(db, username) if username else None
    role = reader["role"] if reader else None
    presidio = reader["presidio_code"] if role == "tutor" else None
    for dataset in DATASETS:
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/governance/exports/{dataset}.{fmt}?{EVERYTHING}")
            if reader is None:
                assert response.status_code == 302 and "/login" in response.headers["Location"]
                continue
            if role not in ALLOWED[dataset]:
                assert response.status_code == 403, f"{who} {dataset}.{fmt}"
                continue
            assert response.status_code == 200, f"{who} {dataset}.{fmt}"
            assert "attachment" in response.headers["Content-Disposition"]
            rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
            if dataset == "visits":
                assert all(row["Presidio"] == presidio for row in rows) if presidio else \
                    len({row["Presidio"] for row in rows}) > 1
                assert sum(int(row["Visite"]) for row in rows) == expected_visits(db, presidio) > 0
                assert "Nota" not in rows[0] and "Codice nucleo" not in rows[0]
            elif dataset == "followups":
                assert all(row["Presidio"] == presidio for row in rows) if presidio else \
                    len({row["Presidio"] for row in rows}) > 1
                assert len(rows) == expected_followups(db, presidio) > 0
            elif dataset == "reports":
                visible = visible_reports(db, reader)
                assert {row["Segnalazione"] for row in rows} == set(visible)
                if presidio:
                    outside = [row for row in rows if row["Presidio"] != presidio]
                    assert all(visible[row["Segnalazione"]] == row["Presidio"] for row in outside)
            elif dataset == "meetings":
                assert len(rows) == next(db.query("SELECT COUNT(*) AS n FROM meetings"))["n"] > 0
                assert "Resoconto" not in rows[0]
            elif dataset == "audit":
                assert len(rows) >= 1 and {"Quando (ora italiana)", "Chi", "Azione"} <= set(rows[0])
    if role in ("tutor", "operator", "community", "coordinator", "aler"):
        page = client.get("/governance/exports")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        for dataset in DATASETS:
            assert (f"/governance/exports/{dataset}.csv" in text) == (role in ALLOWED[dataset])
    elif reader:
        assert client.get("/governance/exports").status_code == 403


def test_the_xlsx_has_real_dates_and_the_csv_iso_text(login):
    coordinator = login("coordinatrice")
    reports = xlsx_rows(coordinator.get(f"/governance/exports/reports.xlsx?{EVERYTHING}"))
    assert all(isinstance(row["Segnalata"], datetime) for row in reports)
    followups = xlsx_rows(coordinator.get(f"/governance/exports/followups.xlsx?{EVERYTHING}"))
    assert all(isinstance(row["Entro il"], datetime) for row in followups)  # openpyxl reads dates back as datetimes
    meetings = csv_rows(coordinator.get(f"/governance/exports/meetings.csv?{EVERYTHING}"))
    assert all(date.fromisoformat(row["Giorno"]) for row in meetings)


def test_the_period_limits_the_rows_and_the_export_is_audited(login, db):
    coordinator = login("coordinatrice")
    rows = csv_rows(coordinator.get("/governance/exports/meetings.csv?from=2026-11-01&to=2026-11-30"))
    held = [row["uuid"] for row in db.query(
        "SELECT uuid FROM meetings WHERE held_on BETWEEN '2026-11-01' AND '2026-11-30'")]
    assert len(rows) == len(held)
    assert all(row["Giorno"].startswith("2026-11") for row in rows)
    audit = next(db.query("SELECT * FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1"))
    assert audit["target"] == "incontri.csv" and f'"rows": {len(held)}' in audit["detail"]


def test_the_audit_export_names_known_accounts_and_keeps_other_hashes(login, db):
    coordinator = login("coordinatrice")
    coordinator.get(f"/governance/exports/visits.csv?{EVERYTHING}")
    rows = csv_rows(coordinator.get(f"/governance/exports/audit.csv?{EVERYTHING}"))
    stored = {row["username"] for row in db.query("SELECT username FROM audit_log WHERE username IS NOT NULL")}
    assert all(name.startswith("h:") for name in stored), "the log stores pseudonyms"
    exported = [row for row in rows if row["Codice dell'azione"] == "export"]
    assert exported and exported[-1]["Chi"] == "coordinatrice" and exported[-1]["Su"] == "visite.csv"


@pytest.mark.parametrize("query, message", [
    ("from=31/11/2026", "Scrivi le date con giorno, mese e anno"),
    ("from=2026-12-01&to=2026-11-01", "Il primo giorno viene dopo"),
])
def test_a_bad_period_is_refused_with_a_message_and_no_file(login, db, query, message):
    before = next(db.query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'export'"))["n"]
    response = login("coordinatrice").get(f"/governance/exports/reports.xlsx?{query}")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert next(db.query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'export'"))["n"] == before


def test_the_menu_offers_exports_to_the_roles_that_have_some(login):
    assert "Esportazioni" in login("tutor.loreto").get("/governance/exports").get_data(as_text=True)
    assert "Esportazioni" not in login("educatore").get("/start").get_data(as_text=True)


def test_the_interventions_spreadsheet_shares_the_writer_real_dates_and_autofilter(login):
    response = login("coordinatrice").get(f"/interventions/export.xlsx?{EVERYTHING}")
    rows = xlsx_rows(response)
    assert rows[-1]["Intervento"] == "Totale"
    assert all(isinstance(row["Giorno"], datetime) for row in rows[:-1]) and len(rows) > 1
