"""The installable app through the HTTP client: manifest, service worker, shell pages, private caching."""
import json
import re

from PIL import Image

from fieldapp.assets import unhashed
from tests.conftest import ROOT


def household(db, presidio="P-BLO"):
    return next(db.query(
        "SELECT h.id FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id "
        "WHERE b.presidio_code = ? AND h.active = 1 LIMIT 1", [presidio]))["id"]


def loads(client, url):
    with client.get(url) as response:  # static files stream: close them
        return response.status_code == 200


def test_manifest_describes_an_installable_italian_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == "Cortile" and manifest["short_name"] == "Cortile"
    assert manifest["lang"] == "it" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= sizes


def test_manifest_icons_exist_at_their_declared_size(client):
    for icon in json.loads(client.get("/manifest.webmanifest").data)["icons"]:
        path = ROOT / unhashed(icon["src"]).lstrip("/")
        width = int(icon["sizes"].split("x")[0])
        with Image.open(path) as image:
            assert image.size == (width, width) and image.format == "PNG"
        assert path.stat().st_size < 20_000, "icons stay small"
        assert loads(client, icon["src"])


def test_service_worker_is_served_at_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "no-cache" in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    assert "__VERSION__" not in body and "__SHELL__" not in body


def shell(client):
    body = client.get("/sw.js").get_data(as_text=True)
    version = re.search(r'const VERSION = "([^"]+)";', body).group(1)
    urls = json.loads(re.search(r"const SHELL = (\[.*?\]);", body, re.S).group(1))
    return version, urls


def test_app_shell_lists_pages_and_assets_that_all_load(client):
    version, urls = shell(client)
    assert version.startswith("0.1.0-")
    for needed in ("/offline", "/outbox", "/static/js/htmx.bundle.js", "/static/js/outbox.bundle.js",
                   "/static/css/app.bundle.css", "/static/icons/icon-192.png"):
        assert needed in {unhashed(url) for url in urls}
    # Every file the offline page draws itself with, under the very name the page asks for.
    offline = client.get("/offline").get_data(as_text=True)
    assert set(re.findall(r'(?:href|src)="(/static/[^"]+)"', offline)) <= set(urls)
    assert "/sw.js" not in urls and "/static/sw.js" not in urls
    for url in urls:
        assert loads(client, url), url


def test_shell_version_is_stable_between_requests(client):
    assert shell(client)[0] == shell(client)[0]


def test_shell_version_changes_with_a_shell_file(app, tmp_path):
    app.extensions["cortile.assets"] = None  # not built: the files themselves make the version
    from fieldapp.pwa.routes import app_shell

    static = tmp_path / "static"
    (static / "js").mkdir(parents=True)
    (static / "sw.js").write_text('const VERSION = "__VERSION__";')
    (static / "js" / "outbox.js").write_text("// one")
    app.static_folder = str(static)
    with app.test_request_context():
        first, urls = app_shell()
        app.extensions.pop("cortile_shell")
        (static / "js" / "outbox.js").write_text("// two")
        second, _urls = app_shell()
    assert "/static/js/outbox.js" in {unhashed(url) for url in urls}
    assert first != second


def test_offline_and_outbox_pages_are_public_and_hold_no_record(client):
    for url in ("/offline", "/outbox"):
        response = client.get(url)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert 'data-testid="user-badge"' not in page
    assert "Nessuna connessione" in client.get("/offline").get_data(as_text=True)
    outbox = client.get("/outbox").get_data(as_text=True)
    assert 'id="outbox-list"' in outbox and 'id="outbox-item"' in outbox and "Invia ora" in outbox


def test_every_page_links_the_manifest_and_loads_the_outbox(login, db):
    page = login("tutor.loreto").get(f"/households/{household(db)}").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'src="/static/js/outbox.bundle.js" defer' in unhashed(page)
    assert 'id="outbox-badge"' in page and 'href="/outbox"' in page
    assert "data-logout" in page and "data-prepare-start" in page


def test_outbox_strings_reach_the_script_translated(login, db):
    page = login("tutor.loreto").get("/households/").get_data(as_text=True)
    raw = re.search(r"data-strings='([^']*)'", page).group(1)
    strings = json.loads(raw.replace("&#34;", '"').replace("&amp;", "&"))
    assert strings["badge"] == "{n} da inviare"
    assert strings["saved"] == "Salvato su questo telefono: {n} da inviare"
    assert strings["logoutDrop"] == {"one": "Esci ed elimina {n} elemento non inviato",
                                     "other": "Esci ed elimina {n} elementi non inviati"}


def test_outbox_strings_follow_the_chosen_language(login):
    client = login("tutor.loreto")
    client.post("/lang", data={"lang": "en", "next": "/households/"})
    assert "{n} to send" in client.get("/households/").get_data(as_text=True)


def test_admin_has_no_offline_preparation(login):
    assert "data-prepare-start" not in login("admin").get("/admin/users/").get_data(as_text=True)


def test_pages_with_personal_data_are_private(login, db):
    client = login("tutor.loreto")
    household_id = household(db)
    for url in ("/households/", f"/households/{household_id}", f"/households/{household_id}/visits/new",
                "/reports/new", "/sync/manifest"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in response.headers["Cache-Control"] or "no-store" in response.headers["Cache-Control"], url


def test_sign_out_clears_the_http_cache_but_not_the_outbox(login):
    response = login("tutor.loreto").post("/logout")
    # "storage" would also wipe IndexedDB, the unsent records with it: outbox.js asks first instead.
    assert response.headers["Clear-Site-Data"] == '"cache"'
