"""The ledger import refuses what cannot be true and asks before it changes what the team sees."""
import io
import re

import pytest

from tests.arrears_data import euro, month_rows, next_month_csv

OCT, NOV = "2026-10", "2026-11"
HEADER = "codice_nucleo;periodo;addebitato;pagato;saldo"


def upload(client, text, name="ledger.csv"):
    return client.post("/arrears/import", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def month_csv(db, period, change=None):
    """A month as stored, with `change(row)` applied to the rows it picks."""
    lines = [HEADER]
    for row in month_rows(db, period):
        row = dict(row)
        if change:
            change(row)
        lines.append(f"{row['code']};{period};{euro(row['charged'])};{euro(row['paid'])};{euro(row['balance'])}")
    return "\r\n".join(lines) + "\r\n"


def count(db, sql, params=()):
    return db.execute(sql, params).fetchone()[0]


def test_a_balance_that_does_not_follow_from_the_month_before_refuses_the_file(shared_login, shared_db):
    text, _ = next_month_csv(shared_db, OCT, NOV)
    lines = text.split("\r\n")
    code, period, charged, paid, balance = lines[5].split(";")
    lines[5] = ";".join([code, period, charged, paid, euro(month_rows(shared_db, OCT)[4]["balance"] + 1)])
    response = upload(shared_login("equipe"), "\r\n".join(lines))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Riga 6: saldo:" in page and "non segue da 2026-10" in page
    assert count(shared_db, "SELECT COUNT(*) FROM ledger_months WHERE period = ?", [NOV]) == 0


@pytest.mark.parametrize("cell, message", [
    ("saldo", "saldo: deve essere tra -1.000.000 e 1.000.000 EUR"),
    ("pagato", "pagato: deve essere tra 0 e 1.000.000 EUR"),
])
def test_implausible_amounts_are_refused_by_row_and_column(shared_login, shared_db, cell, message):
    row = month_rows(shared_db, OCT)[0]
    values = {"addebitato": "10.00", "pagato": "10.00", "saldo": euro(row["balance"], ".").replace(",", "")}
    values[cell] = "99999999999999999999.00" if cell == "saldo" else "-5.00"
    text = f"{HEADER}\r\n{row['code']};{NOV};{values['addebitato']};{values['pagato']};{values['saldo']}\r\n"
    response = upload(shared_login("equipe"), text)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_cli_names_the_row_and_never_prints_a_traceback(runner, db, tmp_path):
    code = month_rows(db, OCT)[0]["code"]
    (tmp_path / "bad.csv").write_text(f"{HEADER}\n{code};{NOV};1.00;1.00;99999999999999999999.00\n")
    result = runner.invoke(args=["arrears", "import", str(tmp_path / "bad.csv")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Riga 2: saldo: deve essere tra -1.000.000 e 1.000.000 EUR" in result.output


def test_a_changed_payment_shows_the_plan_it_makes_late_before_anything_is_written(login, db):
    plan = next(db.query("SELECT p.id, h.code, h.id AS household_id FROM repayment_plans p "
                         "JOIN households h ON h.id = p.household_id WHERE p.status = 'active'"))
    instalment = next(db.query("SELECT amount FROM plan_instalments WHERE plan_id = ? LIMIT 1", [plan["id"]]))["amount"]

    def unpaid(row):
        if row["code"] == plan["code"]:
            row["paid"] -= instalment
            row["balance"] += instalment

    client = login("equipe")
    page = upload(client, month_csv(db, OCT, unpaid)).get_data(as_text=True)
    assert "2026-10 è già importato" in page and "1 nuclei cambiati" in page
    changes = page.split('data-testid="import-review"')[1]
    assert plan["code"] in changes and "Piani di rientro che cambiano stato:" in changes
    assert f"{plan['code']}: Attivo → In ritardo" in changes
    assert count(db, "SELECT COUNT(*) FROM repayment_plans WHERE id = ? AND status = 'active'", [plan["id"]]) == 1
    token = re.search(r'name="confirm" value="([^"]+)"', page).group(1)
    page = client.post("/arrears/import", data={"confirm": token}).get_data(as_text=True)
    assert "2026-10 sostituito" in page and f"{plan['code']}: Attivo → In ritardo" in page
    assert count(db, "SELECT COUNT(*) FROM repayment_plans WHERE id = ? AND status = 'late'", [plan["id"]]) == 1


def test_a_month_other_than_the_next_one_asks_and_names_the_caseload_month(runner, db, tmp_path):
    first = count(db, "SELECT MIN(period) FROM ledger_months")
    older = f"{int(first[:4]) - (first[5:] == '01')}-{(int(first[5:]) - 2) % 12 + 1:02d}"
    lines = [HEADER] + [f"{r['code']};{older};100,00;100,00;0,00" for r in month_rows(db, first)[:5]]
    (tmp_path / "old.csv").write_text("\n".join(lines) + "\n")
    asked = runner.invoke(args=["arrears", "import", str(tmp_path / "old.csv")], input="n\n")
    assert asked.exit_code == 1 and f"{older} non è il mese atteso (2026-11)" in asked.output
    assert "Il mese dei casi resta 2026-10." in asked.output
    assert count(db, "SELECT COUNT(*) FROM ledger_months WHERE period = ?", [older]) == 0
    done = runner.invoke(args=["arrears", "import", str(tmp_path / "old.csv"), "--yes"])
    assert done.exit_code == 0 and count(db, "SELECT COUNT(*) FROM ledger_months WHERE period = ?", [older]) == 5


def test_the_next_month_in_full_is_imported_at_once(runner, db, tmp_path):
    (tmp_path / "nov.csv").write_text(next_month_csv(db, OCT, NOV)[0])
    result = runner.invoke(args=["arrears", "import", str(tmp_path / "nov.csv")])
    assert result.exit_code == 0 and "2026-11 importato: 558 nuclei" in result.output


@pytest.mark.parametrize("form, field, message", [
    ({"isee": "1e30", "months_assigned": "60"}, "checks", "ISEE: «1e30» non è un numero"),
    ({"isee": "100.000,01", "months_assigned": "60"}, "checks", "ISEE: deve essere tra 0 e 100.000 EUR"),
    ({"instalments": "12", "down_payment": "2.000.000"}, "plans", "Acconto: deve essere tra 0 e 1.000.000 EUR"),
    ({"instalments": "12", "instalment_amount": "nan"}, "plans", "Rata: «nan» non è un numero"),
])
def test_forms_refuse_implausible_amounts_naming_the_field(shared_login, shared_db, form, field, message):
    household = next(shared_db.query("SELECT household_id FROM ledger_months WHERE period = ? AND band = '500_2000' "
                                     "AND household_id NOT IN (SELECT household_id FROM repayment_plans) LIMIT 1",
                                     [OCT]))["household_id"]
    stored = "SELECT (SELECT COUNT(*) FROM entitlement_checks) + (SELECT COUNT(*) FROM repayment_plans)"
    before = count(shared_db, stored)
    response = shared_login("equipe").post(f"/arrears/households/{household}/{field}", data=form)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(shared_db, stored) == before
