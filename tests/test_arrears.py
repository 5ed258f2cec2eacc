"""The arrears team's rules seen by users: the import, bands and flags, plans, conferences, the tutor's panel."""
import io
import re
import sqlite3
from datetime import datetime

import openpyxl
import pytest
import time_machine

from fieldapp.arrears import rules
from tests.arrears_data import euro, month_rows, next_month_csv
from tests.conftest import ROME

OCT, NOV = "2026-10", "2026-11"


def upload(client, text, encoding="utf-8", name="ledger.csv"):
    return client.post("/arrears/import", data={"file": (io.BytesIO(text.encode(encoding)), name)},
                       content_type="multipart/form-data")


def count(db, sql, params=()):
    return db.execute(sql, params).fetchone()[0]


def test_demo_ledger_matches_the_proposal_shares(shared_db):
    bands = dict(shared_db.execute("SELECT band, COUNT(*) FROM ledger_months WHERE period = ? GROUP BY band",
                                   [OCT]).fetchall())
    assert sum(bands.values()) == 558
    assert round(100 * (bands["500_2000"] + bands["over_2000"]) / 558, 1) == 34.2
    assert round(100 * (bands["upto_500"] + bands["500_2000"]) / 558) == 25
    assert count(shared_db, "SELECT COUNT(DISTINCT period) FROM ledger_months") == 24
    statuses = {r[0] for r in shared_db.execute("SELECT status FROM repayment_plans")}
    assert statuses == {"proposed", "active", "late", "broken", "completed"}


def test_first_import_flags_every_household_in_the_early_band(shared_db):
    first = shared_db.execute("SELECT MIN(period) FROM ledger_months").fetchone()[0]
    early = count(shared_db, "SELECT COUNT(*) FROM ledger_months WHERE period = ? AND band IN ('upto_500', '500_2000')",
                  [first])
    flagged = count(shared_db, "SELECT COUNT(*) FROM arrears_flags WHERE period = ? AND flag = 'entered_early'",
                    [first])
    assert early > 0 and flagged == early


@pytest.mark.parametrize("italian, encoding", [(True, "cp1252"), (True, "utf-8-sig"), (False, "utf-8")])
def test_import_reads_italian_and_english_files(login, db, italian, encoding):
    text, entered = next_month_csv(db, OCT, NOV, entering=9, italian=italian)
    response = upload(login("equipe"), text, encoding)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert count(db, "SELECT COUNT(*) FROM ledger_months WHERE period = ?", [NOV]) == 558
    flagged = {r[0] for r in db.execute(
        "SELECT h.code FROM arrears_flags f JOIN households h ON h.id = f.household_id "
        "WHERE f.period = ? AND f.flag = 'entered_early'", [NOV])}
    assert flagged == set(entered) and len(entered) == 9
    # Thousands separators and decimal marks give the same cents as the source.
    assert {r["code"]: r["balance"] for r in month_rows(db, NOV) if r["code"] not in entered} == \
           {r["code"]: r["balance"] for r in month_rows(db, OCT) if r["code"] not in entered}


def test_one_bad_row_among_hundreds_imports_nothing_and_names_the_row(shared_login, shared_db):
    text, _ = next_month_csv(shared_db, OCT, NOV)
    lines = text.split("\r\n")
    lines[300] = lines[300].split(";")[0] + ";2026-11;12,00;abc;0,00"
    response = upload(shared_login("equipe"), "\r\n".join(lines))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Riga 301" in page and "abc" in page
    assert count(shared_db, "SELECT COUNT(*) FROM ledger_months WHERE period = ?", [NOV]) == 0


@pytest.mark.parametrize("row, message", [
    ("DEMO-XXX-999;2026-10;10,00;10,00;0,00", "Nucleo sconosciuto DEMO-XXX-999"),
    ("{code};2026/10;10,00;10,00;0,00", "YYYY-MM"),
    ("{code};2026-10;dieci;10,00;0,00", "non è un importo"),
    ("{code};2027-01;10,00;10,00;0,00", "è nel futuro"),
    ("{code};2026-10;10,00;10,00;0,00\r\n{code};2026-10;10,00;10,00;0,00", "Riga duplicata"),
])
def test_bad_rows_are_refused_with_a_reason(shared_login, shared_db, row, message):
    code = month_rows(shared_db, OCT)[0]["code"]
    before = count(shared_db, "SELECT COUNT(*) FROM ledger_imports")
    csv_text = "codice_nucleo;periodo;addebitato;pagato;saldo\r\n" + row.format(code=code)
    response = upload(shared_login("equipe"), csv_text)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(shared_db, "SELECT COUNT(*) FROM ledger_imports") == before


def test_importing_a_month_again_shows_what_changes_and_replaces_it_once_confirmed(login, db):
    client = login("equipe")
    text, _ = next_month_csv(db, OCT, NOV)
    assert upload(client, text).status_code == 200
    first = month_rows(db, NOV)[0]
    changed = text.split("\r\n")
    code, period, charged, paid, balance = changed[1].split(";")
    changed[1] = ";".join([code, period, charged, "0,00", euro(first["balance"] + first["paid"])])  # paid nothing
    response = upload(client, "\r\n".join(changed))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Ancora nulla importato" in page
    assert "2026-11 è già importato: questo file lo sostituisce." in page and "Il mese dei casi resta 2026-11" in page
    assert "1 nucleo cambiato" in page and first["code"] in page
    paid_now = ("SELECT paid FROM ledger_months l JOIN households h ON h.id = l.household_id "
                "WHERE h.code = ? AND period = ?")
    assert next(db.query(paid_now, [first["code"], NOV]))["paid"] == first["paid"] > 0  # nothing written yet
    token = re.search(r'name="confirm" value="([^"]+)"', page).group(1)
    page = client.post("/arrears/import", data={"confirm": token}).get_data(as_text=True)
    assert "2026-11 sostituito: 558 nuclei" in page
    assert next(db.query(paid_now, [first["code"], NOV]))["paid"] == 0
    assert count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger_import' AND target = ?", [NOV]) == 2
    assert client.post("/arrears/import", data={"confirm": token}).status_code == 422  # used once


def test_cli_imports_a_ledger_and_refuses_a_bad_one(app, runner, db, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(next_month_csv(db, OCT, NOV)[0], encoding="cp1252")
    bad.write_text("codice_nucleo;periodo;addebitato;pagato;saldo\nNOPE;2026-11;1;1;1\n")
    result = runner.invoke(args=["arrears", "import", str(bad)])
    assert result.exit_code == 1 and "NOPE" in result.output
    result = runner.invoke(args=["arrears", "import", str(good)])
    assert result.exit_code == 0 and "2026-11" in result.output


def test_registry_band_follows_the_ledger(login, db):
    text, entered = next_month_csv(db, OCT, NOV, entering=1)
    upload(login("equipe"), text)
    assert next(db.query("SELECT arrears_band FROM households WHERE code = ?", entered))["arrears_band"] == "upto_500"


@pytest.mark.parametrize("schedule_paid, status", [
    ([1, 1, 1], "active"), ([1, 0, 1], "late"), ([1, 0, 0], "broken"), ([0, 2, 1], "active"), ([3, 0, 0], "active"),
])
def test_plans_are_reconciled_cumulatively(schedule_paid, status):
    schedule = [(n, f"2026-{n:02d}-10", 10_000) for n in range(1, 5)]
    months = [(f"2026-{n:02d}", 30_000, 30_000 + paid * 10_000) for n, paid in enumerate(schedule_paid, start=1)]
    assert rules.reconcile(schedule, 0, months, 5, 2)["status"] == status


def test_instalment_within_its_grace_days_is_not_yet_missed():
    schedule = [(1, "2026-01-28", 10_000)]
    assert rules.reconcile(schedule, 0, [("2026-01", 100, 100)], 5, 2)["missed"] == 0


def test_a_plan_paid_in_full_is_completed():
    schedule = [(1, "2026-01-10", 10_000), (2, "2026-02-10", 10_000)]
    assert rules.reconcile(schedule, 0, [("2026-01", 0, 20_000)], 5, 2)["status"] == "completed"


def owing(db, band="500_2000"):
    return next(db.query("SELECT household_id AS id FROM ledger_months WHERE period = ? AND band = ? "
                         "AND household_id NOT IN (SELECT household_id FROM repayment_plans) ORDER BY household_id "
                         "LIMIT 1", [OCT, band]))["id"]


@pytest.mark.parametrize("band, form, message", [
    ("500_2000", {"instalments": "12", "instalment_amount": "50,00"}, "non corrispondono"),
    ("500_2000", {"instalments": "25"}, "da 1 a 24"),
    ("upto_500", {"instalments": "24", "instalment_amount": "10,00"}, "almeno 20 EUR"),
    ("none", {"instalments": "6"}, "non deve nulla"),
])
def test_bad_plans_are_refused(shared_login, shared_db, band, form, message):
    household_id = owing(shared_db, band)
    response = shared_login("equipe").post(f"/arrears/households/{household_id}/plans", data=form)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(shared_db, "SELECT COUNT(*) FROM repayment_plans WHERE household_id = ?", [household_id]) == 0


def fresh_login(app, username):
    """A new sign-in: after a jump of the clock the cached demo sessions have expired."""
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": "demo-cortile"}).status_code == 302
    return client


def test_december_ledger_keeps_a_paid_plan_active_and_the_tutor_sees_the_next_date(app, login, db):
    household_id = owing(db)
    client = login("equipe")
    response = client.post(f"/arrears/households/{household_id}/plans", data={"instalments": "12"})
    plan_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/arrears/plans/{plan_id}/sign")
    upload(client, next_month_csv(db, OCT, NOV)[0])
    amount = next(db.query("SELECT amount FROM plan_instalments WHERE plan_id = ? AND number = 1", [plan_id]))["amount"]
    with time_machine.travel(datetime(2027, 1, 5, 10, 0, tzinfo=ROME), tick=True):
        client = fresh_login(app, "equipe")
        december = next_month_csv(db, NOV, "2026-12", pay_extra={household_id: amount})[0]
        assert upload(client, december).status_code == 200
        plan = next(db.query("SELECT status, covered FROM repayment_plans WHERE id = ?", [plan_id]))
        assert plan == {"status": "active", "covered": 1}
        tutor = next(db.query("SELECT username FROM users u JOIN households h ON h.tutor_id = u.id WHERE h.id = ?",
                              [household_id]))["username"]
        page = fresh_login(app, tutor).get(f"/households/{household_id}").get_data(as_text=True)
    assert "Piano di rientro attivo, prossima rata 10/01" in page
    panel = page.split('data-testid="arrears-panel"')[1].split("</section>")[0]
    assert not re.search(r"\d,\d\d", panel), "an amount in the tutor's panel"


def test_tutor_panel_never_shows_amounts_or_causes(shared_login, shared_db):
    row = next(shared_db.query("""SELECT h.id, u.username FROM repayment_plans p
                           JOIN households h ON h.id = p.household_id
                           JOIN users u ON u.id = h.tutor_id WHERE p.status = 'late'"""))
    page = shared_login(row["username"]).get(f"/households/{row['id']}").get_data(as_text=True)
    panel = page.split('data-testid="arrears-panel"')[1].split("</section>")[0]
    assert "Piano di rientro in ritardo, prossima rata" in panel
    assert not re.search(r"\d,\d\d", panel), "an amount in the tutor's panel"
    for secret in ("ISEE", "incolpevole", "Cassa integrazione", "arrears/households", "Contatti"):
        assert secret not in panel


def test_decision_without_owner_is_refused(shared_login, shared_db):
    item = next(shared_db.query("SELECT id, conference_id FROM conference_items WHERE decision IS NULL LIMIT 1"))
    url = f"/arrears/conferences/{item['conference_id']}/items/{item['id']}"
    response = shared_login("equipe").post(url, data={"decision": "reminder", "owner_id": "", "due_on": "2026-12-01"})
    assert response.status_code == 422 and "Scegli chi" in response.get_data(as_text=True)
    assert next(shared_db.query("SELECT decision FROM conference_items WHERE id = ?", [item["id"]]))["decision"] is None


def test_visit_request_lands_in_the_tutors_agenda(login, db):
    item = next(db.query("""SELECT i.id, i.conference_id, h.code, u.username FROM conference_items i
                            JOIN households h ON h.id = i.household_id JOIN users u ON u.id = h.tutor_id
                            WHERE i.decision IS NULL LIMIT 1"""))
    equipe = next(db.query("SELECT id FROM users WHERE username = 'equipe'"))["id"]
    response = login("equipe").post(f"/arrears/conferences/{item['conference_id']}/items/{item['id']}",
                                    data={"decision": "tutor_visit", "owner_id": equipe, "due_on": "2026-11-20"})
    assert response.status_code == 303
    assert item["code"] in login(item["username"]).get("/agenda").get_data(as_text=True)
    assert count(db, "SELECT COUNT(*) FROM followups WHERE decision_id = ? AND visit_uuid IS NULL", [item["id"]]) == 1
    # Changed at the table: the request is withdrawn from the agenda, not left behind.
    login("equipe").post(f"/arrears/conferences/{item['conference_id']}/items/{item['id']}",
                         data={"decision": "reminder", "owner_id": equipe, "due_on": "2026-11-20"})
    assert count(db, "SELECT COUNT(*) FROM followups WHERE decision_id = ? AND status = 'open'", [item["id"]]) == 0
    assert count(db, "SELECT COUNT(*) FROM followups WHERE decision_id = ?", [item["id"]]) == 1


def test_broken_plan_comes_on_the_agenda_by_itself(login, db):
    code = next(db.query("SELECT h.code FROM repayment_plans p JOIN households h ON h.id = p.household_id "
                         "WHERE p.status = 'broken'"))["code"]
    db.execute("DELETE FROM followups WHERE decision_id IS NOT NULL")
    db.execute("DELETE FROM conference_items")
    db.conn.commit()
    assert code in login("equipe").get("/arrears/conferences").get_data(as_text=True)


def test_documents_are_italian_pdfs_with_the_household_code(shared_login, shared_db):
    plan = next(shared_db.query("SELECT p.id, h.code FROM repayment_plans p "
                                "JOIN households h ON h.id = p.household_id LIMIT 1"))
    client = shared_login("equipe")
    body = client.get(f"/arrears/plans/{plan['id']}/plan.pdf").data
    assert body.startswith(b"%PDF") and plan["code"].encode() in body and b"Intestatario" in body
    conference = next(shared_db.query("SELECT id FROM conferences"))["id"]
    assert b"Verbale" in client.get(f"/arrears/conferences/{conference}/minutes.pdf").data


def test_indicators_export_as_csv_and_xlsx(shared_login):
    client = shared_login("coordinatrice")
    assert "Nuclei per fascia" in client.get("/arrears/indicators").get_data(as_text=True)
    assert b"period;none;upto_500;500_2000;over_2000" in client.get("/arrears/indicators.csv").data
    book = openpyxl.load_workbook(io.BytesIO(client.get("/arrears/indicators.xlsx").data))
    assert {"bands", "transitions", "plans", "money"} <= set(book.sheetnames)


def test_registry_import_keeps_the_band_the_ledger_gave(app, runner, db, tmp_path):
    row = next(db.query("SELECT h.code, h.arrears_band FROM households h WHERE h.arrears_band = 'over_2000' LIMIT 1"))
    registry = tmp_path / "registry.csv"
    db_row = next(db.query(
        """SELECT b.code AS building_code, b.address, b.quartiere_id, b.presidio_code, b.lat, b.lon, b.owner,
                  b.district_heating, u.scala, u.piano, u.interno, h.members, h.heating_eligible
           FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id
           WHERE h.code = ?""", [row["code"]]))
    registry.write_text(
        "building_code,address,quartiere,presidio,lat,lon,owner,district_heating,scala,piano,interno,"
        "household_code,members,arrears_band,heating_eligible\n"
        f"{db_row['building_code']},{db_row['address']},{db_row['quartiere_id']},{db_row['presidio_code']},"
        f"{db_row['lat']},{db_row['lon']},{db_row['owner']},{'si' if db_row['district_heating'] else 'no'},"
        f"{db_row['scala']},{db_row['piano']},{db_row['interno']},{row['code']},{db_row['members']},none,"
        f"{'si' if db_row['heating_eligible'] else 'no'}\n")
    result = runner.invoke(args=["registry", "import", str(registry)])
    assert result.exit_code == 0, result.output
    assert next(db.query("SELECT arrears_band FROM households WHERE code = ?", [row["code"]]))["arrears_band"] == \
        "over_2000"


def test_visit_form_shows_the_ledger_instead_of_arrears_questions(shared_login, shared_db):
    row = next(shared_db.query(
        """SELECT h.id, u.username FROM households h JOIN users u ON u.id = h.tutor_id
           WHERE h.arrears_band = '500_2000' ORDER BY h.id LIMIT 1"""))
    page = shared_login(row["username"]).get(f"/households/{row['id']}/visits/new").get_data(as_text=True)
    assert 'data-testid="arrears-panel"' in page and 'name="repayment_plan"' not in page
    assert 'name="arrears_trend"' not in page


def test_a_financial_visit_counts_as_a_contact_on_the_case(shared_login, shared_db):
    visit = next(shared_db.query(
        "SELECT household_id, substr(visited_at, 1, 10) AS day, note FROM visits WHERE kind = 'financial' LIMIT 1"))
    page = shared_login("equipe").get(f"/arrears/households/{visit['household_id']}").get_data(as_text=True)
    contacts = page.split('data-testid="contacts"')[1].split("</ul>")[0]
    assert "Visita domiciliare" in contacts
    assert not visit["note"] or visit["note"] not in page


def test_followups_migration_keeps_visit_followups_and_allows_decisions(tmp_path):
    import sqlite_utils

    from fieldapp.arrears.migrations import m001_ledger_and_cases, m002_followups_from_decisions
    from fieldapp.visits.migrations import m001_visits_and_followups

    old = sqlite_utils.Database(tmp_path / "old.db")
    m001_visits_and_followups(old)
    old["followups"].insert({"uuid": "f-1", "visit_uuid": "v-1", "household_id": 1, "action": "revisit",
                             "due_on": "2026-12-01", "assignee_id": 1, "created_at": "x", "created_by": 1})
    m001_ledger_and_cases(old)
    m002_followups_from_decisions(old)
    assert [r["visit_uuid"] for r in old.query("SELECT visit_uuid FROM followups")] == ["v-1"]
    old["followups"].insert({"uuid": "f-2", "visit_uuid": None, "decision_id": 7, "household_id": 1,
                             "action": "revisit", "due_on": "2026-12-01", "assignee_id": 1, "created_at": "x",
                             "created_by": 1})
    with pytest.raises(sqlite3.IntegrityError):
        old["followups"].insert({"uuid": "f-3", "household_id": 1, "action": "revisit", "due_on": "2026-12-01",
                                 "assignee_id": 1, "created_at": "x", "created_by": 1})


def test_caseload_filters_by_flag_and_sorts_by_balance(shared_login, shared_db):
    page = shared_login("equipe").get(f"/arrears/?period={OCT}&flag=moved_up&sort=balance").get_data(as_text=True)
    rows = re.findall(r'<tr data-household="([^"]+)">', page)
    expected = [r[0] for r in shared_db.execute(
        """SELECT h.code FROM arrears_flags f JOIN households h ON h.id = f.household_id
           JOIN ledger_months l ON l.household_id = h.id AND l.period = f.period
           WHERE f.period = ? AND f.flag = 'moved_up' ORDER BY l.balance DESC, h.code LIMIT 25""", [OCT])]
    assert rows == expected and rows


def test_a_household_that_has_left_keeps_its_debt_in_the_ledger(login, db):
    row = month_rows(db, OCT)[0]
    with db.conn:
        db.execute("UPDATE households SET active = 0 WHERE code = ?", [row["code"]])
    csv_text = f"codice_nucleo;periodo;addebitato;pagato;saldo\r\n{row['code']};{NOV};0,00;0,00;{euro(row['balance'])}"
    client = login("equipe")
    page = upload(client, csv_text).get_data(as_text=True)
    # One household in the month the caseload would show: the team is asked first.
    assert "2026-11 ha meno della metà dei nuclei di 2026-10." in page
    assert "I casi mostrerebbero 2026-11 (1 nucleo) invece di 2026-10 (558 nuclei)." in page
    token = re.search(r'name="confirm" value="([^"]+)"', page).group(1)
    assert client.post("/arrears/import", data={"confirm": token}).status_code == 200
    assert next(db.query("SELECT balance FROM ledger_months l JOIN households h ON h.id = l.household_id "
                         "WHERE h.code = ? AND period = ?", [row["code"], NOV]))["balance"] == row["balance"]


def test_the_conference_list_counts_decided_cases_in_words(shared_login, shared_db):
    page = shared_login("equipe").get("/arrears/conferences").get_data(as_text=True)
    conference = next(shared_db.query(
        """SELECT c.id, COUNT(i.id) AS items, SUM(i.decision IS NOT NULL) AS decided FROM conferences c
           JOIN conference_items i ON i.conference_id = c.id GROUP BY c.id ORDER BY c.id LIMIT 1"""))
    assert "built-in" not in page
    noun = "caso deciso" if conference["items"] == 1 else "casi decisi"
    assert f"{conference['decided'] or 0} su {conference['items']} {noun}" in page


def test_the_indicators_page_names_its_columns_and_writes_figures_in_italian(shared_login):
    page = shared_login("equipe").get("/arrears/indicators").get_data(as_text=True)
    assert "Quota oltre 500 EUR (%)" in page and "EUR concordati" in page and "Non seguiti dall&#39;équipe" in page
    body = page.split("<main", 1)[1]
    assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b(?![^<]*>)", re.sub(r"<[^>]+>", " ", body)), "a code shown as a header"
    assert not re.search(r"<td>\d+\.(?:\d{1,2}|\d{4,})</td>", body), "a decimal point (5.700 is a thousand separator)"
    assert re.search(r"<td>\d+,\d</td>", body), "shares with a decimal comma"
