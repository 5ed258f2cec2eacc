"""In Debian's Chromium: the financial tutor's November, from the ledger upload to a plan printed for signature."""
import re
import shutil

import pytest
from playwright.sync_api import expect

from fieldapp.db import connect
from tests.arrears_data import next_month_csv
from tests.conftest import DEMO_PASSWORD, LiveServer, make_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def arrears_server(tmp_path_factory, demo_db):
    """A server of its own: this story imports a month, which other browser tests must not see."""
    folder = tmp_path_factory.mktemp("arrears-live")
    shutil.copy(demo_db, folder / "cortile.db")
    server = LiveServer(make_app(folder, db_file=folder / "cortile.db", WTF_CSRF_ENABLED=True))
    yield server
    server.stop()


def test_financial_tutor_flags_contacts_checks_and_agrees_a_plan(page, arrears_server, tmp_path):
    url = arrears_server.url
    db = connect(arrears_server.app.config["DATABASE"])
    text, entered = next_month_csv(db, "2026-10", "2026-11", entering=9)
    ledger = tmp_path / "estratto-novembre.csv"
    ledger.write_bytes(text.encode("cp1252"))

    page.goto(f"{url}/login")
    page.get_by_label("Nome utente").fill("equipe")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("heading", name="Casi di morosità")).to_be_visible()

    # 1. November's ledger.
    page.goto(f"{url}/arrears/import")
    page.get_by_label("File dell'estratto conto (CSV)").set_input_files(str(ledger))
    page.get_by_role("button", name="Importa").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("2026-11 importato: 558 nuclei")

    # 2. The households that entered the early band this month.
    page.get_by_role("link", name="Vedi i nuclei entrati nella fascia iniziale").click()
    rows = page.get_by_test_id("caseload").locator("tbody tr")
    expect(rows).to_have_count(9)
    assert sorted(rows.locator("td:first-child").all_inner_texts()) == sorted(entered)

    # 3. A call, with the cause.
    rows.first.get_by_role("link").click()
    page.get_by_label("Come").select_option("phone")
    page.get_by_label("Esito").select_option("reached")
    page.locator("#contact-cause").select_option("cassa_integrazione")
    page.get_by_role("button", name="Registra il contatto").click()
    expect(page.get_by_test_id("cause")).to_have_text("Cassa integrazione (incolpevole)")
    expect(page.get_by_test_id("stage")).to_have_text("Contattato")

    # 4. The regional solidarity contribution.
    page.get_by_label("ISEE (EUR)").fill("8.500,00")
    page.get_by_label("Mesi dall'assegnazione").fill("60")
    page.get_by_role("button", name="Verifica il diritto").click()
    expect(page.get_by_test_id("check-result").first).to_contain_text("ha diritto, fino a 2.700,00 EUR l'anno")

    # 5. Twelve instalments, signed, printed.
    page.get_by_label(re.compile("^Rate")).fill("12")
    page.get_by_role("button", name="Proporre un piano").click()
    expect(page.get_by_test_id("instalments").locator("tbody tr")).to_have_count(12)
    expect(page.get_by_test_id("plan-why")).to_contain_text("Rate richieste: 12")
    page.get_by_role("button", name="Firmato: attiva il piano").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Attivo")
    pdf = page.request.get(url + page.get_by_test_id("plan-pdf").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF") and b"Intestatario" in pdf.body()
    db.close()
