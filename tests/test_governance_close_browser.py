"""Done when: the coordinator closes November and downloads the Region report, in real Chromium."""
import pytest

from tests.governance_close_data import cells, close_indicators, pdf_text


@pytest.mark.browser
def test_coordinator_closes_november_and_downloads_the_region_report(signed_in, page, live_server):
    base = live_server.url
    with close_indicators(live_server.app):
        signed_in("coordinatrice")
        page.goto(f"{base}/governance/close/")
        page.get_by_role("link", name="novembre 2026 (2026-11)").click()
        page.get_by_role("heading", name="Controllo di completezza").wait_for()
        assert "2026-11 non è ancora finito" in page.get_by_test_id("problems").inner_text()

        # Problems listed: closing without confirming them is refused, naming the period.
        page.get_by_role("button", name="Chiudi il mese").click()
        assert "2026-11 non è stato chiuso" in page.get_by_test_id("close-error").inner_text()
        page.get_by_text("Ho controllato i problemi qui sopra e chiudo comunque il mese").click()  # the styled label
        assert page.get_by_label("Ho controllato i problemi qui sopra e chiudo comunque il mese").is_checked()
        page.get_by_role("button", name="Chiudi il mese").click()
        page.get_by_text("2026-11 chiuso: i suoi dati sono congelati.").wait_for()
        assert page.get_by_test_id("close-status").inner_text().startswith("Chiuso")

        with page.expect_download() as download:
            page.get_by_role("link", name="Rendiconto alla Regione (XLSX)").click()
        assert download.value.suggested_filename == "rendiconto-regione-2026-11.xlsx"
        wb, _sheets = cells(download.value.path().read_bytes())
        assert wb["Sintesi"]["B5"].value.startswith("Definitivo")
        line1 = [row[1] for row in wb["Linea 1 - servizi"].iter_rows(min_row=4, values_only=True)]
        assert "Visite di prova" in line1 and "Nuclei raggiunti" in line1
        with page.expect_download() as download:
            page.get_by_role("link", name="Sintesi (PDF)").click()
        text = pdf_text(download.value.path().read_bytes())
        assert "Rendiconto alla Regione: Novembre 2026" in text and "PROVVISORIO" not in text

        # Leave the shared server as it was: reopen, with the reason the form asks for.
        page.get_by_label("Perché lo riapri (resta registrato con il periodo)").fill("Fine della prova")
        page.get_by_role("button", name="Riapri il mese").click()
        page.get_by_text("2026-11 riaperto.").wait_for()
