"""The equipe's story in real Chromium: load the season's files, reconcile, compute, explain, approve, download,
then put the approved contributions in a determina and credit it into the ledger."""
from datetime import datetime

import pytest

from fieldapp.db import get_db
from fieldapp.heating.demo import plan
from tests.conftest import ROME


@pytest.mark.browser
def test_equipe_loads_computes_coordinator_approves_and_the_determina_is_credited(signed_in, page, live_server,
                                                                                  tmp_path,
                                                                       browser_context_args):
    with live_server.app.app_context():
        bills, readings = plan(get_db())["2025-26"]
    (tmp_path / "bollette.csv").write_text(bills, encoding="utf-8")
    (tmp_path / "letture.csv").write_text(readings, encoding="utf-8")
    base = live_server.url

    signed_in("equipe")
    page.goto(f"{base}/heating/import/bills")
    page.get_by_label("File CSV").set_input_files(str(tmp_path / "bollette.csv"))
    page.get_by_role("button", name="Importa").click()
    page.wait_for_url("**/reconciliation")
    page.goto(f"{base}/heating/import/readings")
    page.get_by_label("File CSV").set_input_files(str(tmp_path / "letture.csv"))
    page.get_by_role("button", name="Importa").click()
    page.wait_for_url("**/seasons/2025-26/reconciliation")
    table = page.get_by_test_id("reconciliation")
    assert table.get_by_text("Quadra", exact=True).count() == 8
    assert page.get_by_test_id("estimated").locator("li").count() == 3

    page.goto(f"{base}/heating/seasons/2025-26")
    page.get_by_role("button", name="Calcola i contributi").click()
    page.get_by_text("Versione 1 calcolata.").wait_for()
    page.get_by_test_id("contributions").get_by_role("link", name="DEMO-BLO-093").click()
    page.get_by_role("heading", name="La formula con i suoi numeri").wait_for()
    assert "max(0," in page.get_by_test_id("formula").inner_text()
    page.goto(f"{base}/heating/seasons/2025-26")
    page.get_by_role("button", name="Segna come verificati i calcolati").click()
    page.get_by_text("nuclei aggiornati").wait_for()

    # The coordinator on a phone of her own: a fresh browser context.
    equipe_page = page
    coordinator = page.context.browser.new_context(**browser_context_args)
    coordinator.clock.install(time=datetime.now(ROME))  # the phone's clock agrees with the server's
    page = coordinator.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("Nome utente").fill("coordinatrice")
    page.get_by_label("Password").fill("demo-cortile")
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{base}/heating/seasons/2025-26")
    page.get_by_role("button", name="Approva i verificati").click()
    page.get_by_text("nuclei aggiornati").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Elenco per la determina (CSV)").click()
    lines = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "household_code;amount;computed;paid_before;reason" and len(lines) > 10  # payments only
    assert all(line.startswith("DEMO-") and line.count(";") == 4 for line in lines[1:])
    coordinator.close()

    # Back to the equipe's phone: the determina with its number and date, then credited into the ledger.
    page = equipe_page
    page.goto(f"{base}/heating/seasons/2025-26")
    page.get_by_label("Numero della determina").fill("2044/2026")
    page.get_by_label("Data della determina").fill("2026-11-16")
    page.get_by_role("button", name="Metti in determina gli approvati").click()
    page.get_by_test_id("open-act").wait_for()
    assert "2044/2026" in page.get_by_test_id("open-act").inner_text()
    page.get_by_role("button", name="Segna la determina come accreditata").click()
    page.get_by_text("movimenti scritti nel registro").wait_for()
    assert page.get_by_test_id("acts").get_by_role("link").first.is_visible()
    with live_server.app.app_context():
        db = get_db()
        entries = db.execute("SELECT COUNT(*), MIN(act_number) FROM heating_ledger WHERE season = '2025-26'").fetchone()
    assert entries[0] == len(lines) - 1 and entries[1] == "2044/2026"
