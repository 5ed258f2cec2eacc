"""Every download, walked with hostile text in the records: each file opens, and no cell runs as a formula.

The routes are found in the app's URL map (a path ending in .csv, .xlsx, .xml or .zip, or choosing one of them),
so a new download is walked without anyone adding it here; each is fetched as a role that may download it.
"""
import csv
import io
import re
import uuid as uuid_module
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest
from werkzeug.routing.converters import AnyConverter

from tests.conftest import signer
from tests.test_access import SAMPLES

FILES = ("csv", "xlsx", "xml", "zip")
HOSTILE = ['=HYPERLINK("http://127.0.0.1/h","HH")', "+cmd", "-2+3", "@SUM(A1)", "\tTabulato", "Via\x00Nulla",
           "Scala\x0bB", "Atrio \u202eanimo", "\rRitorno"]
# Text stored before the text rule refused control characters: old records may hold any of HOSTILE.
OLD_TEXT = [("buildings", "address"), ("units", "scala"), ("units", "interno"), ("quartieri", "name"),
            ("contractors", "name"), ("users", "display_name"), ("reports", "description"), ("visits", "note"),
            ("interventions", "notes"), ("interventions", "cancel_reason"), ("meetings", "place"),
            ("meetings", "summary"), ("heating_contributions", "reason"), ("heating_ledger", "reason"),
            ("heating_act_lines", "reason"), ("audit_log", "target")]
# Who downloads for each role a route allows (the first role that may, in this order).
USERS = {"coordinator": "coordinatrice", "equipe": "equipe", "operator": "operatore", "admin": "admin",
         "aler": "aler", "community": "community", "educator": "educatore", "tutor": "tutor.loreto"}
FORMULA = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+|\d+)([.,]\d+)?|-")
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069]")


def seed_old_text(db):
    """Each listed column of every row gets a hostile value, made unique by the row's id.

    The ledger and the log are append-only: the test lifts their guard on its own copy to write old text."""
    db.execute("DROP TRIGGER heating_ledger_no_update")
    db.execute("DROP TRIGGER audit_log_no_update")
    for table, column in OLD_TEXT:
        rowids = [r[0] for r in db.execute(f"SELECT rowid FROM {table}").fetchall()]
        db.conn.executemany(f"UPDATE {table} SET {column} = ? WHERE rowid = ?",  # noqa: S608 (names from OLD_TEXT)
                            [(f"{HOSTILE[i % len(HOSTILE)]} {rowid}", rowid) for i, rowid in enumerate(rowids)])
        db.conn.commit()
    # A recovery on the season's act, with a negative amount that must stay a number.
    db.execute("UPDATE heating_act_lines SET amount_cents = -3050 WHERE rowid IN "
               "(SELECT rowid FROM heating_act_lines ORDER BY rowid LIMIT 2)")
    # The public's reports are published once verified: Open311 then shows their text.
    db.execute("UPDATE reports SET status = 'verified' WHERE source IN ('resident', 'open311')")
    db.conn.commit()


def downloads(app):
    """(endpoint, format) of every GET route whose answer is a file of FILES."""
    found = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint not in SAMPLES:
            continue
        ending = re.search(r"\.(\w+)$", rule.rule)
        if ending and ending.group(1) in FILES:
            found.add((rule.endpoint, ending.group(1)))
        for converter in rule._converters.values():
            if isinstance(converter, AnyConverter) and rule.rule.endswith(">"):
                found |= {(rule.endpoint, item) for item in converter.items if item in FILES}
    return sorted(found)


def url_of(app, db, endpoint, fmt):
    path = SAMPLES[endpoint][1](db)
    base, _sep, query = path.partition("?")
    base = re.sub(r"\.\w+$", f".{fmt}", base)
    return f"{base}?{query}" if query else base


def client_for(app, demo_sessions, endpoint):
    access = app.view_functions[endpoint].access
    if access == "public":
        return app.test_client()
    role = next(r for r in USERS if r in access)
    return signer(app, demo_sessions)(USERS[role])


def check_text(where, value):
    """A text cell or node: no character XML forbids, no bidi control, and no formula."""
    assert not UNSAFE.search(value), f"{where}: control or bidi character in {value!r}"
    if value.startswith(FORMULA):
        assert PLAIN_NUMBER.fullmatch(value), f"{where}: {value!r} would run as a formula"
    assert not re.fullmatch(r"'[+-]?\d[\d.,]*", value), f"{where}: the number {value!r} became text"


def check_csv(where, body):
    assert body.startswith(b"\xef\xbb\xbf"), f"{where}: no BOM"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows and len(rows[0]) > 1, f"{where}: not ';'-separated"
    for row in rows:
        for value in row:
            check_text(where, value)
    return rows


def check_xlsx(where, body):
    book = openpyxl.load_workbook(io.BytesIO(body))
    numbers = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: formula in {sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    check_text(f"{where} {sheet.title}!{cell.coordinate}", cell.value)
                numbers += isinstance(cell.value, int | float)
    return numbers


def check_xml(where, body):
    root = ElementTree.fromstring(body)
    for node in root.iter():
        if node.text:
            assert not UNSAFE.search(node.text), f"{where}: control character in <{node.tag}>"
    return root


def test_every_download_opens_and_runs_no_formula_from_hostile_text(app, login, db, demo_sessions, runner,
                                                                    tmp_path):
    # Through the forms, where the text rule lets formula starts pass as plain text.
    building = next(db.query("SELECT id FROM buildings WHERE presidio_code = 'P-BLO' ORDER BY id LIMIT 1"))
    response = login("tutor.loreto").post("/reports/new", data={
        "uuid": str(uuid_module.uuid4()), "building": building["id"], "area": "garage", "category": "damage",
        "severity": "minor", "description": "@SUM(A1) cantina allagata"})
    assert response.status_code == 303
    response = login("operatore").post("/contractors/new", data={
        "name": '=HYPERLINK("http://127.0.0.1/h","HH")', "services": ["cleaning"], "active": "y"})
    assert response.status_code == 303
    seed_old_text(db)

    walked, hostile_seen, numbers = [], 0, 0
    for endpoint, fmt in downloads(app):
        url = url_of(app, db, endpoint, fmt)
        response = client_for(app, demo_sessions, endpoint).get(url)
        where = f"{endpoint} {url}"
        assert response.status_code == 200, f"{where}: {response.status_code}"
        assert response.mimetype != "text/html", f"{where}: a page, not a file"
        body = response.get_data()
        if fmt == "csv":
            check_csv(where, body)
        elif fmt == "xlsx":
            numbers += check_xlsx(where, body)
        else:
            check_xml(where, body)
        hostile_seen += any(h.encode("utf-8")[1:8] in body for h in HOSTILE[:4])
        walked.append(endpoint)

    # The household's own file (GDPR art. 15) is a ZIP of CSVs, written by the CLI for the DPO.
    code = next(db.query("SELECT h.code FROM households h JOIN visits v ON v.household_id = h.id LIMIT 1"))["code"]
    result = runner.invoke(args=["households", "export", code, "--out", str(tmp_path / "access.zip")])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "access.zip") as archive:
        members = [name for name in archive.namelist() if name.endswith(".csv")]
        assert "visits.csv" in members
        for name in members:
            if archive.getinfo(name).file_size:
                check_csv(f"access.zip {name}", archive.read(name))

    assert len(set(walked)) >= 20, sorted(set(walked))
    assert {"admin.audit_export", "heating.determina_csv", "governance.report_xlsx", "public.requests_list",
            "arrears.indicators_export", "interventions.export_xlsx"} <= set(walked)
    assert hostile_seen >= 5  # the hostile text did reach the files, neutralised
    assert numbers > 100  # amounts and counts stay numbers in the workbooks


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_contractor_name_comes_out_of_the_interventions_workbook_as_text(login, db, value):
    """What the operator typed is what the spreadsheet shows: text, with only an apostrophe added."""
    contractor = db.execute("SELECT MIN(id) FROM contractors").fetchone()[0]
    db.execute("UPDATE contractors SET name = ? WHERE id = ?", [value, contractor])
    db.execute("UPDATE interventions SET contractor_id = ?", [contractor])
    db.conn.commit()
    response = login("operatore").get("/interventions/export.xlsx?from=2020-01-01&to=2030-12-31")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    header = [c.value for c in sheet[1]]
    names = {row[header.index("Ditta")] for row in sheet.iter_rows(min_row=2, values_only=True)} - {None}
    # XML reads a CR as a line break: the cell keeps a line break where the CR was.
    shown = value.replace("\x00", "\ufffd").replace("\x0b", "\ufffd").replace("\u202e", "\ufffd").replace("\r", "\n")
    expected = ("'" + shown) if value.startswith(FORMULA) else shown
    assert names == {expected}
