"""Pages and JSON compressed by the app (fieldapp/compress.py): for the browser's own requests only (BREACH)."""
import gzip
import re
import shutil

import brotli

from tests.conftest import make_app

OWN = {"Sec-Fetch-Site": "same-origin", "Accept-Encoding": "br, gzip"}


def without_tokens(page):
    """The page with its CSRF tokens blanked: each response signs its own."""
    return re.sub(r'(name="csrf_token" type="hidden" value=")[^"]+', r"\1", page)


def test_a_page_asked_for_by_our_own_page_comes_compressed_and_reads_the_same(login):
    client = login("tutor.loreto")
    plain = client.get("/households/")
    packed = client.get("/households/", headers=OWN)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "br"
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    assert without_tokens(brotli.decompress(packed.data).decode()) == without_tokens(plain.get_data(as_text=True))
    for response in (plain, packed):
        assert {"Accept-Encoding", "Sec-Fetch-Site"} <= set(response.vary)


def test_a_browser_that_takes_only_gzip_gets_gzip_and_a_typed_address_counts_as_our_own(login):
    client = login("tutor.loreto")
    response = client.get("/agenda", headers={"Sec-Fetch-Site": "none", "Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Agenda" in gzip.decompress(response.data).decode()


def test_another_site_never_gets_a_compressed_page_that_echoes_its_search(login):
    """BREACH: another site may make the phone fetch our search with its guesses; lengths must tell it nothing."""
    client = login("tutor.loreto")
    for site in ("cross-site", "same-site", None):
        headers = {"Accept-Encoding": "br, gzip"} | ({"Sec-Fetch-Site": site} if site else {})
        response = client.get("/households/?q=DEMO-BLO", headers=headers)
        assert response.status_code == 200 and "Content-Encoding" not in response.headers, site
        assert "DEMO-BLO" in response.get_data(as_text=True)


def test_json_is_compressed_too_and_small_answers_are_not(login):
    client = login("tutor.loreto")
    working_set = client.get("/sync/manifest", headers=OWN)  # what "prepare for offline" fetches first
    assert working_set.headers["Content-Encoding"] == "br"
    assert brotli.decompress(working_set.data).startswith(b'{"')
    health = client.get("/healthz", headers=OWN)
    assert len(health.data) < 1024 and "Content-Encoding" not in health.headers


def test_compression_can_be_left_to_the_proxy(tmp_path, demo_db):
    shutil.copy(demo_db, tmp_path / "cortile.db")
    app = make_app(tmp_path, db_file=tmp_path / "cortile.db", COMPRESS_PAGES=False)
    response = app.test_client().get("/login", headers=OWN)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert "Accedi" in response.get_data(as_text=True)
