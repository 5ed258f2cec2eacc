"""Ledger files built from the demo database, as the Servizio Alloggi would send them."""


def euro(cents, mark=","):
    whole, rest = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    thousands = "." if mark == "," else ","
    return f"{sign}{whole:,}".replace(",", thousands) + f"{mark}{rest:02d}"


def month_rows(db, period):
    return list(db.query(
        "SELECT h.id, h.code, l.charged, l.paid, l.balance "
        "FROM ledger_months l JOIN households h ON h.id = l.household_id "
        "WHERE l.period = ? ORDER BY h.code", [period]))


def next_month_csv(db, source, period, entering=0, pay_extra=None, italian=True):
    """Every household of `source` again in `period`, paying its charges; `entering` of those at 0 start owing."""
    pay_extra = pay_extra or {}
    lines = ["codice_nucleo;periodo;addebitato;pagato;saldo" if italian
             else "household_code,period,charged,paid,balance"]
    entered = []
    for row in month_rows(db, source):
        charged, paid = row["charged"], row["charged"] + pay_extra.get(row["id"], 0)
        balance = row["balance"] - pay_extra.get(row["id"], 0)
        if entering and row["balance"] == 0 and len(entered) < entering:
            # The heating settlement arrives and is not paid: 300 EUR owed.
            charged, paid, balance = row["charged"] + 30_000, row["charged"], 30_000
            entered.append(row["code"])
        values = [row["code"], period, charged, paid, balance]
        if italian:
            lines.append(";".join([values[0], values[1], *(euro(v) for v in values[2:])]))
        else:
            lines.append(",".join([values[0], values[1], *(f'"{euro(v, ".")}"' for v in values[2:])]))
    return "\r\n".join(lines) + "\r\n", entered


# --- One demo copy per test module for the tests that only read or are refused (they change nothing) ---
import shutil  # noqa: E402

import pytest  # noqa: E402

from fieldapp.db import connect  # noqa: E402
from tests.conftest import DEMO_PASSWORD, make_app  # noqa: E402


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory, demo_db):
    folder = tmp_path_factory.mktemp("arrears-shared")
    shutil.copy(demo_db, folder / "cortile.db")
    return make_app(folder, db_file=folder / "cortile.db")


@pytest.fixture(scope="module")
def shared_db(shared_app):
    database = connect(shared_app.config["DATABASE"])
    yield database
    database.close()


@pytest.fixture
def shared_login(shared_app, demo_sessions):
    """Like `login`, on the module's shared copy (same secret key and users, so cookies carry over)."""

    def sign_in(username):
        client = shared_app.test_client()
        if username in demo_sessions:
            cookie, record = demo_sessions[username]
            client.set_cookie("session", cookie)
            database = connect(shared_app.config["DATABASE"])
            database["sessions"].insert(record, ignore=True)
            database.close()
            return client
        assert client.post("/login", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302
        database = connect(shared_app.config["DATABASE"])
        record = next(database.query("SELECT * FROM sessions ORDER BY id DESC LIMIT 1"))
        database.close()
        record.pop("id")
        demo_sessions[username] = (client.get_cookie("session").value, record)
        return client

    return sign_in
