"""What interventions produce: the Italian notice (page and PDF), exports, indicators; and the contractors."""
import csv
import io
import re
import zlib
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from fieldapp.clock import local_today
from fieldapp.interventions import analysis
from tests.conftest import EDGE_MOMENTS
from tests.test_interventions import (
    ITALIAN_WEEKDAYS,
    building,
    contractor,
    free_day,
    jpeg,
    make_reports,
    plan,
    sign_in,
    to_in_progress,
)


@pytest.fixture
def operator(login):
    return login("operatore")


def finish(client, intervention_id, cost="512,30", early=False):
    to_in_progress(client, intervention_id, early=early)
    response = client.post(f"/interventions/{intervention_id}/done", data={
        "actual_cost": cost, "photos": [(io.BytesIO(jpeg()), "after.jpg")], "confirm_early": "1" if early else ""},
        content_type="multipart/form-data")
    assert response.status_code == 303


def pdf_text(data):
    """The text a PDF shows: every string drawn with Tj in its (deflated) content streams."""
    def unescape(raw):
        raw = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), raw)
        return re.sub(rb"\\(.)", lambda m: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1)), raw)

    words = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream
        words += [unescape(m.group(1)).decode("latin-1")
                  for m in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content)]
    return " ".join(" ".join(words).split())  # lines wrapped on the page read as one text


# --- the notice -------------------------------------------------------------------------

def stylesheet(client, href):
    with client.get(href) as response:  # WhiteNoise streams the file: close it
        return response.get_data(as_text=True)


def test_the_notice_page_says_in_italian_when_what_where_and_what_to_do(operator, db):
    reports = make_reports(db, building(db), n=2, area="cellars")
    intervention_id, _ = plan(operator, db, reports=reports, kind="rodent_control",
                              tenant_instructions="Chiudete le porte delle cantine.")
    page = operator.get(f"/interventions/{intervention_id}/notice").get_data(as_text=True)
    sheet = page[page.index('data-testid="notice"'):]
    day = local_today()
    assert "Avviso ai residenti" in sheet and "Derattizzazione" in sheet
    assert f"{ITALIAN_WEEKDAYS[day.weekday()]} {day.day} " in sheet and "dalle 8:00 alle 12:00" in sheet
    assert building(db)["address"] in sheet and "Parti comuni interessate: cantine" in sheet
    assert "Ditta Demo Test Attiva Srl" in sheet
    assert "Non toccate e non spostate le esche." in sheet and "Chiudete le porte delle cantine." in sheet
    assert 'lang="it"' in page and "data-print" in page
    # The notice's A4 print rules reach the page, in the bundle or (unbuilt) in their own file.
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert any("--istatus-planned" in stylesheet(operator, href) for href in sheets)


def test_the_notice_stays_italian_when_the_interface_is_english(operator, db):
    intervention_id, _ = plan(operator, db)
    operator.post("/lang", data={"lang": "en", "next": "/"})
    page = operator.get(f"/interventions/{intervention_id}/notice").get_data(as_text=True)
    assert "Notice for the entrance" in page  # the page around it follows the user
    assert "Avviso ai residenti" in page and "Cosa devono fare i residenti" in page
    assert "Notice to residents" not in page


def test_the_notice_pdf_is_an_a4_page_with_the_italian_text(operator, db):
    reports = make_reports(db, building(db), n=1, area="stairs")
    day = local_today() + timedelta(days=(1 - local_today().weekday()) % 7)  # a Tuesday: "martedì"
    intervention_id, _ = plan(operator, db, reports=reports, kind="biological", scheduled_on=day.isoformat())
    response = operator.get(f"/interventions/{intervention_id}/notice.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    data = response.get_data()
    assert data.startswith(b"%PDF-") and b"/MediaBox [0 0 595.28 841.89]" in data
    text = pdf_text(data)
    assert "AVVISO AI RESIDENTI" in text
    assert "Rimozione e smaltimento di materiale biologico" in text
    assert f"martedì {day.day}" in text  # an accented letter, printed as such
    assert "mentre l'intervento è in corso." in text
    assert building(db)["address"] in text and "Ditta Demo Test Attiva Srl" in text
    assert f"Rif. intervento n. {intervention_id}" in text


def test_the_pdf_prints_names_outside_latin_1_without_failing(operator, db):
    name = "Ditta Demo “Łódź” – Pulizie €"
    cid = contractor(db, name=name)
    intervention_id, _ = plan(operator, db, contractor=str(cid))
    text = pdf_text(operator.get(f"/interventions/{intervention_id}/notice.pdf").get_data())
    assert 'Ditta Demo "Lódz" - Pulizie EUR' in text


# --- export -----------------------------------------------------------------------------

def planned_and_done(operator, db):
    """Two interventions on a day of their own (from today on): one done, one still planned; (day, ids)."""
    day = free_day(db)
    early = day > local_today()
    done_id, _ = plan(operator, db, estimated_cost="400", scheduled_on=day.isoformat())
    finish(operator, done_id, cost="512,30", early=early)
    open_id, _ = plan(operator, db, reports=make_reports(db, building(db, offset=1), n=2), estimated_cost="1.250,50",
                      scheduled_on=day.isoformat())
    return day, done_id, open_id


@pytest.mark.parametrize("moment", EDGE_MOMENTS, indirect=True, ids=str)
def test_the_csv_opens_in_italian_excel_with_costs_and_totals(app, db, moment):
    operator = sign_in(app)
    day, done_id, open_id = planned_and_done(operator, db)
    response = operator.get(f"/interventions/export.csv?from={day}&to={day}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[:3] == ["Intervento", "Tipo di intervento", "Stato"]
    for column in ("Ditta", "Costo stimato (EUR)", "Costo effettivo (EUR)",
                   "Giorni dalla pianificazione all'esecuzione", "Giorni dalla prima segnalazione all'esecuzione",
                   "Segnalazioni collegate"):
        assert column in header
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {str(done_id), str(open_id), "Totale"}
    done = by_id[str(done_id)]
    assert (done["Costo stimato (EUR)"], done["Costo effettivo (EUR)"], done["Stato"]) == (
        "400,00", "512,30", "Eseguito")
    assert done["Segnalazioni collegate"] == "3" and len(done["Identificativi delle segnalazioni"].split()) == 3
    assert float(done["Giorni dalla prima segnalazione all'esecuzione"].replace(",", ".")) >= 9
    assert by_id[str(open_id)]["Costo effettivo (EUR)"] == ""
    total = by_id["Totale"]
    assert (total["Costo stimato (EUR)"], total["Costo effettivo (EUR)"], total["Segnalazioni collegate"]) == \
        ("1650,50", "512,30", "5")
    audit = next(db.query("SELECT * FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1"))
    assert audit["target"] == "interventions.csv" and '"rows": 2' in audit["detail"]


def test_the_period_limits_the_export(login, operator, db):
    day, _done, _open = planned_and_done(operator, db)
    other = free_day(db, after=(day - local_today()).days + 1)
    body = login("operatore").get(f"/interventions/export.csv?from={other}&to={other}").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["Totale"]
    body = login("operatore").get(f"/interventions/export.csv?from={day}&to={day}").get_data().decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(body), delimiter=";"))) == 4  # header, two interventions, total


def test_text_typed_by_users_cannot_become_a_spreadsheet_formula(operator, db):
    cid = contractor(db, name="=HYPERLINK(\"http://example.invalid\")")
    day = free_day(db).isoformat()
    intervention_id, _ = plan(operator, db, contractor=str(cid), scheduled_on=day)
    body = operator.get(f"/interventions/export.csv?from={day}&to={day}").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[1][rows[0].index("Ditta")] == "'=HYPERLINK(\"http://example.invalid\")"
    workbook = load_workbook(io.BytesIO(operator.get(f"/interventions/export.xlsx?from={day}&to={day}").get_data()))
    assert all(not str(cell.value or "").startswith("=") for row in workbook.active.iter_rows() for cell in row)


def test_the_xlsx_has_the_same_columns_numbers_and_totals(operator, db):
    day, done_id, open_id = planned_and_done(operator, db)
    response = operator.get(f"/interventions/export.xlsx?from={day}&to={day}")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_id[done_id]["Costo effettivo (EUR)"] == pytest.approx(512.30)
    assert by_id[open_id]["Costo stimato (EUR)"] == pytest.approx(1250.50)
    assert by_id["Totale"]["Costo stimato (EUR)"] == pytest.approx(1650.50)
    assert by_id["Totale"]["Costo effettivo (EUR)"] == pytest.approx(512.30)
    assert sheet.freeze_panes == "A2"


# --- indicators -------------------------------------------------------------------------

def test_indicators_count_days_to_resolution_recurrence_and_cost(login, operator, db):
    here = building(db)
    reports = make_reports(db, here, n=2, area="courtyard", days_ago=12)
    intervention_id, _ = plan(operator, db, reports=reports)
    finish(operator, intervention_id, cost="300")
    make_reports(db, here, n=1, area="courtyard", status="new", days_ago=1)  # the problem is back
    since = (local_today() - timedelta(days=13)).isoformat()  # the demo's interventions were done long before
    page = login("coordinatrice").get(f"/interventions/indicators?from={since}").get_data(as_text=True)
    resolution = page[page.index('data-testid="resolution"'):page.index('data-testid="recurrence"')]
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", resolution))
    assert facts == {"Segnalazioni risolte": "2", "Media": "12 giorni", "Mediana": "12 giorni", "Massimo": "12 giorni"}
    recurrence = page[page.index('data-testid="recurrence"'):page.index('data-testid="costs"')]
    assert here["address"] in recurrence and "Cortile" in recurrence
    costs = page[page.index('data-testid="costs"'):]
    assert here["address"] in costs and "300,00" in costs


def test_indicator_queries_give_the_numbers(app, operator, db):
    here = building(db, "P-PAG")
    reports = make_reports(db, here, n=3, area="bin_area", days_ago=6)
    intervention_id, _ = plan(operator, db, reports=reports)
    finish(operator, intervention_id, cost="1.000")

    with app.test_request_context():
        days = [row["days"] for row in analysis.resolution_days() if row["uuid"] in reports]
        recurring = [r for r in analysis.recurrence() if r["building_id"] == here["id"] and r["area"] == "bin_area"]
        cost = next(c for c in analysis.cost_per_building() if c["building_id"] == here["id"])
    assert len(days) == 3 and all(5.5 < d < 7.5 for d in days)
    assert recurring[0]["reports"] >= 3 and recurring[0]["interventions"] >= 1
    assert cost["actual_cents"] >= 100000 and cost["interventions"] >= 1


# --- contractors ------------------------------------------------------------------------

def test_a_contractor_is_added_edited_and_deactivated(operator, db):
    response = operator.post("/contractors/new", data={
        "name": "Ditta Demo Nuova Srl", "services": ["cleaning", "bulky"], "contact_person": "Referente Demo",
        "phone": "+39 0372 000 111", "email": "demo@example.invalid", "active": "y"})
    assert response.status_code == 303
    row = next(db.query("SELECT * FROM contractors WHERE name = 'Ditta Demo Nuova Srl'"))
    assert (row["services"], row["active"]) == ('["cleaning", "bulky"]', 1)
    response = operator.post(f"/contractors/{row['id']}/edit", data={
        "name": "Ditta Demo Nuova Srl", "services": ["cleaning"], "version": str(row["version"])})
    assert response.status_code == 303
    assert next(db.query("SELECT active FROM contractors WHERE id = ?", [row["id"]]))["active"] == 0
    page = operator.get("/interventions/new").get_data(as_text=True)
    choices = page[page.index('id="contractor"'):]
    assert "Ditta Demo Nuova Srl" not in choices[:choices.index("</select>")]  # no longer offered for planning


@pytest.mark.parametrize("data, message", [
    ({"name": "Ditta Demo Pulizie Srl", "services": ["cleaning"]}, "Esiste già una ditta con questo nome."),
    ({"name": "  ", "services": ["cleaning"]}, "Inserisci il nome della ditta."),
    ({"name": "Ditta Demo X", "services": []}, "Scegli almeno un servizio."),
    ({"name": "Ditta Demo X", "services": ["cleaning"], "email": "not-an-email"},
     "Inserisci un indirizzo email valido."),
    ({"name": "Ditta Demo X", "services": ["cleaning"], "phone": "call me"}, "Inserisci un numero di telefono"),
    ({"name": "Ditta Demo X", "services": ["teleport"]}, "Scegli una delle opzioni in elenco."),
])
def test_bad_contractor_input_is_refused(operator, db, data, message):
    before = next(db.query("SELECT COUNT(*) AS n FROM contractors"))["n"]
    response = operator.post("/contractors/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert next(db.query("SELECT COUNT(*) AS n FROM contractors"))["n"] == before


def test_a_stale_contractor_edit_is_refused(operator, db):
    cid = contractor(db)
    response = operator.post(f"/contractors/{cid}/edit", data={"name": "Ditta Demo Rinominata Srl",
                                                                 "services": ["cleaning"], "version": "0"})
    assert response.status_code == 422
    assert "Nel frattempo qualcun altro ha modificato questa ditta" in response.get_data(as_text=True)
    assert next(db.query("SELECT name FROM contractors WHERE id = ?", [cid]))["name"] != "Ditta Demo Rinominata Srl"


def test_the_contractors_page_lists_the_demo_firms(login):
    page = login("admin").get("/contractors/").get_data(as_text=True)
    assert "Ditta Demo Pulizie Srl" in page and "non attiva" in page
