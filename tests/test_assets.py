"""Static files served by the app: hashed names, immutable caching, brotli and gzip, stale names after a
deploy, the reduced Bootstrap Italia, and a clear message when `make setup` did not build them."""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys

import brotli
import pytest

from fieldapp.assets import (
    BUILD,
    SCRIPT_BUNDLES,
    AssetsNotBuilt,
    bundle_sources,
    load_manifest,
    sources_digest,
    unhashed,
)
from tests.conftest import ROOT, make_app
from tools.build_assets import vocabulary_classes

HASHED = re.compile(r"/static/[\w./-]+\.[0-9a-f]{12}\.\w+")
OLD = "0123456789ab"  # a hash no build wrote: a page saved before a deploy asks for it


@pytest.fixture(scope="session", autouse=True)
def built():
    """A current build: `make setup` and `make test` run it; here too, for a source changed since.
    Session scope: it comes before the session's live server, which reads the build when created."""
    try:
        load_manifest()
    except AssetsNotBuilt:
        subprocess.run([sys.executable, "tools/build_assets.py"], cwd=ROOT, check=True)


def head(client, url="/households/"):
    return client.get(url).get_data(as_text=True).split("</head>")[0]


def bundle_url(client):
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', head(client, "/offline"))[1]


def fetch(client, url, encoding="identity"):
    with client.get(url, headers={"Accept-Encoding": encoding}) as response:
        return response.status_code, response.headers, response.get_data()


def test_pages_link_one_hashed_stylesheet_and_hashed_deferred_scripts(login):
    page = head(login("tutor.loreto"))
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert len(styles) == 1 and re.fullmatch(r"/static/css/app\.bundle\.[0-9a-f]{12}\.css", styles[0])
    scripts = re.findall(r'<script src="([^"]+)"( defer)?', page)
    # Two deferred bundles (htmx, then the outbox), each run by the browser as a task of its own.
    assert [unhashed(src) for src, _defer in scripts] == ["/static/js/htmx.bundle.js", "/static/js/outbox.bundle.js"]
    assert all(HASHED.fullmatch(src) and defer for src, defer in scripts), scripts


def test_each_script_bundle_is_its_files_in_order(login):
    client = login("tutor.loreto")
    for src in re.findall(r'<script src="([^"]+)"', head(client)):
        _status, _headers, body = fetch(client, src)
        names = SCRIPT_BUNDLES[unhashed(src).removeprefix("/static/")]
        parts = body.split(b"\n;\n")
        assert len(parts) == len(names)
        for name, part in zip(names, parts, strict=True):
            assert part == (ROOT / "static" / name).read_bytes().rstrip(), name


def test_hashed_files_are_immutable_plain_names_and_the_worker_revalidate(login):
    client = login("tutor.loreto")
    for url in [bundle_url(client), *re.findall(r'<script src="([^"]+)"', head(client))]:
        status, headers, _ = fetch(client, url)
        cache = headers["Cache-Control"]
        assert status == 200 and "immutable" in cache and "max-age=315360000" in cache
        assert headers["X-Content-Type-Options"] == "nosniff"
    status, headers, _ = fetch(client, "/static/js/outbox.js")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    worker = client.get("/sw.js")
    assert "immutable" not in worker.headers["Cache-Control"] and "no-cache" in worker.headers["Cache-Control"]
    imports = re.search(r"importScripts\(([^)]*)\)", worker.get_data(as_text=True))[1]
    assert len(HASHED.findall(imports)) == 5 and "/static/js/idb." in imports


def test_brotli_and_gzip_are_served_when_the_browser_asks(client):
    url = bundle_url(client)
    status, plain_headers, plain = fetch(client, url)
    assert status == 200 and "Content-Encoding" not in plain_headers
    _, headers, body = fetch(client, url, "gzip, deflate, br")
    assert headers["Content-Encoding"] == "br" and "Accept-Encoding" in headers["Vary"]
    assert brotli.decompress(body) == plain and len(body) < len(plain) / 4
    _, headers, body = fetch(client, url, "gzip")
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == plain


def test_a_stale_hashed_name_gets_todays_file_never_cached_as_immutable(client):
    url = bundle_url(client)
    _, _, today = fetch(client, url)
    status, headers, body = fetch(client, re.sub(r"\.[0-9a-f]{12}\.", f".{OLD}.", url))
    assert status == 200 and body == today
    assert headers["Cache-Control"] == "no-cache"
    status, headers, body = fetch(client, f"/static/js/outbox.{OLD}.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and b"CortileOutbox" in body
    assert fetch(client, f"/static/css/nothing.{OLD}.css")[0] == 404
    assert fetch(client, "/static/sw.js")[0] == 404  # the worker lives at /sw.js only


def css_classes(text):
    return set(re.findall(r"\.(-?[A-Za-z_][\w-]*)", re.sub(r"\{[^{}]*\}", "{}", text)))


def test_the_reduced_bootstrap_keeps_every_class_the_templates_use():
    original = css_classes((ROOT / "static/vendor/bootstrap-italia/css/bootstrap-italia.min.css").read_text())
    bundle_name = json.loads((BUILD / "manifest.json").read_text())["files"]["css/app.bundle.css"]
    bundle_text = (BUILD / "static" / bundle_name).read_text()
    bundle = css_classes(bundle_text)
    used = {"alert-success", "alert-danger", "alert-warning", "alert-info", "btn-outline-danger",
            "btn-outline-success", "is-invalid"}  # built at run time: alert-{{ category }}, invalid(...)
    for template in (ROOT / "templates").rglob("*.html"):
        for value in re.findall(r'class="([^"]*)"', template.read_text()):
            used |= set(re.sub(r"\{[{%].*?[%}]\}", " ", value).split())
    needed = used & original
    assert len(needed) > 100, "the templates use Bootstrap Italia's classes"
    assert needed - bundle == set()
    assert len(bundle_text) < 150_000, "Bootstrap Italia's 612 KB reduced to the rules in use"


def test_every_class_built_from_a_vocabulary_has_its_rule_in_the_bundle():
    """status-{{ code }} and the like: each code of the vocabulary is drawn (an unstyled badge is invisible)."""
    bundle_name = json.loads((BUILD / "manifest.json").read_text())["files"]["css/app.bundle.css"]
    bundle = css_classes((BUILD / "static" / bundle_name).read_text())
    built = vocabulary_classes()
    prefixes = set()
    for template in (ROOT / "templates").rglob("*.html"):
        for value in re.findall(r'class="([^"]*)"', template.read_text()):
            prefixes |= set(re.findall(r"([\w-]+-)\{\{\s*\w+\.(?:status|severity)\s*\}\}", value))
            prefixes |= set(re.findall(r"([\w-]+-)\{\{\s*(?:code|status)\s*\}\}", value))
    assert prefixes >= {"status-", "severity-", "istatus-", "istatus-border-"}
    assert {p for p in prefixes if not any(c.startswith(p) for c in built)} == set(), "a prefix missing from assets.py"
    assert "status-with_aler" in built and "status-aler_taken" in built
    assert set(built) - bundle == set(), "classes built from a vocabulary with no rule in the bundle"


def test_without_the_build_the_app_warns_naming_make_setup_and_serves_plain_files(tmp_path, demo_db, caplog):
    shutil.copy(demo_db, tmp_path / "cortile.db")
    app = make_app(tmp_path, db_file=tmp_path / "cortile.db", ASSETS_DIR=str(tmp_path / "no-build"))
    assert "make setup" in caplog.text
    client = app.test_client()
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', head(client, "/login"))
    assert "/static/css/app.css" in styles and len(styles) == len(bundle_sources()) >= 8
    assert all(fetch(client, url)[0] == 200 for url in styles)
    with pytest.raises(AssetsNotBuilt, match="make setup"):
        make_app(tmp_path, db_file=tmp_path / "cortile.db", ASSETS_DIR=str(tmp_path / "no-build"),
                 ASSETS_REQUIRED=True)


def test_missing_precompression_and_a_stale_build_are_named(tmp_path):
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "app.js").write_text("//")
    (tmp_path / "static" / "js" / "app.js.gz").write_text("")
    manifest = {"files": {"js/app.js": "js/app.js"}, "compressed": ["js/app.js"], "sources": sources_digest()}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(AssetsNotBuilt, match=r"Precompressed static files are missing \(js/app.js\).*make setup"):
        load_manifest(tmp_path)
    (tmp_path / "static" / "js" / "app.js.br").write_text("")
    assert load_manifest(tmp_path)["files"]
    (tmp_path / "manifest.json").write_text(json.dumps({**manifest, "sources": "before a template changed"}))
    with pytest.raises(AssetsNotBuilt, match="older than their sources.*make setup"):
        load_manifest(tmp_path)


def test_gunicorn_refuses_to_start_without_the_build(tmp_path):
    env = {**os.environ, "CORTILE_ASSETS_DIR": str(tmp_path / "no-build"), "GUNICORN_BIND": "127.0.0.1:0",
           "CORTILE_DATABASE": str(tmp_path / "cortile.db"), "CORTILE_SECRET_KEY": "x",
           "CORTILE_DPO_CONTACT": "rpd@x.it"}
    done = subprocess.run([str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "Cortile will not start: Static assets are not built" in done.stderr and "make setup" in done.stderr
    assert not (tmp_path / "cortile.db").exists()


def test_gunicorn_refuses_to_start_without_the_dpo_contact(tmp_path):
    """The public privacy notice must name the data-protection officer (GDPR art. 13(1)(b))."""
    env = {**os.environ, "GUNICORN_BIND": "127.0.0.1:0", "CORTILE_DATABASE": str(tmp_path / "cortile.db"),
           "CORTILE_SECRET_KEY": "x"}
    env.pop("CORTILE_DPO_CONTACT", None)
    done = subprocess.run([str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "Cortile will not start: set CORTILE_DPO_CONTACT" in done.stderr
    assert not (tmp_path / "cortile.db").exists()
