"""Limits at the door: an office's file is at most 5 MB, refused before it is read; a ledger's months stay
within the project's span (a year on each side); /segnala's daily cap is in test_public.py."""
import io

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from fieldapp.csvfiles import MAX_FILE

TOO_BIG = b"codice_nucleo;periodo;addebitato;pagato;saldo\n" + b"x" * (MAX_FILE + 200_000)
UPLOADS = [
    ("equipe", "/heating/import/readings"),
    ("equipe", "/heating/seasons/2025-26/temperatures"),
    ("equipe", "/arrears/import"),
    ("coordinatrice", "/governance/targets/import"),
]


@pytest.mark.parametrize("username, path", UPLOADS)
def test_an_office_file_over_5_mb_is_refused_unread(login, db, username, path):
    client = login(username)
    tables = {t: db[t].count for t in ("heating_readings", "ledger_months", "audit_log")}
    # The body built here, in memory: the test client's own temporary file is never read by a refusal.
    boundary, body = encode_multipart(MultiDict({"file": FileStorage(io.BytesIO(TOO_BIG), "grande.csv")}))
    response = client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413 and "troppo grande" in response.get_data(as_text=True)
    assert {t: db[t].count for t in tables} == tables


@pytest.mark.parametrize("period", ["0001-01", "1999-12", "2023-09"])
def test_a_ledger_month_long_before_the_project_is_refused_by_row(login, db, period):
    code = db.execute("SELECT code FROM households WHERE active = 1 LIMIT 1").fetchone()[0]
    text = f"codice_nucleo;periodo;addebitato;pagato;saldo\n{code};{period};100,00;0,00;100,00\n"
    response = login("equipe").post("/arrears/import", data={"file": (io.BytesIO(text.encode()), "storico.csv")},
                                    content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and f"Il periodo {period} è precedente a 2023-10" in page
    assert db["ledger_months"].count_where("period = ?", [period]) == 0
