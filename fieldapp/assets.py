"""Static files served by the app itself: hashed, precompressed copies built by `make setup` (WhiteNoise).

tools/build_assets.py writes build/static/ (each file under its plain and its hashed name, with .br
and .gz next to it) and build/manifest.json (plain name -> hashed name). Here `url_for('static', ...)`
gives the hashed name, hashed files are cached as immutable and the rest are revalidated. A hashed
name this build does not know (a page saved before a deploy) is answered with today's file, never a 404.
"""
import functools
import hashlib
import json
import re
from pathlib import Path

from flask import abort, current_app, send_from_directory, url_for

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
# The one app stylesheet, in cascade order: Bootstrap Italia (reduced) first, then fonts.css, app.css
# and every other static/css/*.css (one per area, by name): a new area's stylesheet joins by itself.
BUNDLE = "css/app.bundle.css"
FIRST_SOURCES = ("vendor/bootstrap-italia/css/bootstrap-italia.min.css", "css/fonts.css", "css/app.css")
# The scripts every page runs (deferred), in this order: each file uses the ones before it. Two bundles,
# htmx and the outbox: the browser runs each deferred script as a task of its own, and one bundle of
# both was one long task that kept a slow phone from answering a tap. The files are served on their
# own too: sw.js imports idb.js and the outbox's first four.
SCRIPT_BUNDLES = {
    "js/htmx.bundle.js": ("vendor/htmx/htmx.min.js", "js/app.js"),
    "js/outbox.bundle.js": ("js/idb.js", "js/outbox-protocol.js", "js/outbox-retry.js", "js/outbox-queue.js",
                            "js/outbox-replay.js", "js/outbox-capture.js", "js/outbox.js", "js/offline-prepare.js"),
}


def bundle_sources(static=ROOT / "static"):
    """The bundle's source files under static/, in cascade order."""
    others = sorted(p.relative_to(static).as_posix() for p in (static / "css").glob("*.css"))
    return [*FIRST_SOURCES, *(name for name in others if name not in FIRST_SOURCES and name != BUNDLE)]


# Sources the build depends on: the static files, and what PurgeCSS reads to keep the rules in use.
WATCHED = (("static", "**/*"), ("templates", "**/*.html"), ("fieldapp", "**/*.py"))
HASHED = re.compile(r"^(?P<stem>.+)\.[0-9a-f]{12}(?P<suffix>\.[A-Za-z0-9]+)$")
SETUP_HINT = "run `make setup` (it builds build/static/ with tools/build_assets.py)"


class AssetsNotBuilt(RuntimeError):
    """The hashed, precompressed static files are missing or older than their sources."""


@functools.cache
def sources_digest(root=ROOT):
    """A digest of the names, sizes and times of every source the build reads (stat only).

    Worked out once per process, as each worker checks its build once when it starts: a source changed
    later is noticed by the next process (gunicorn's next worker, `flask run`'s reloader).
    """
    digest = hashlib.sha256()
    for folder, pattern in WATCHED:
        for path in sorted((root / folder).glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def load_manifest(build=BUILD, root=ROOT):
    """The manifest of a complete, current build; AssetsNotBuilt says what is missing and how to fix it."""
    path = Path(build) / "manifest.json"
    if not path.is_file():
        raise AssetsNotBuilt(f"Static assets are not built ({path} is missing): {SETUP_HINT}.")
    manifest = json.loads(path.read_text())
    missing = [name for name in manifest["compressed"]
               for suffix in (".br", ".gz") if not (Path(build) / "static" / (name + suffix)).is_file()]
    if missing:
        raise AssetsNotBuilt(f"Precompressed static files are missing "
                             f"({missing[0]}{'' if len(missing) == 1 else ', …'}): {SETUP_HINT}.")
    if manifest["sources"] != sources_digest(root):
        raise AssetsNotBuilt(f"Static assets are older than their sources: {SETUP_HINT}.")
    return manifest


def init_app(app):
    """Serve the built assets, or (not built) warn and serve the plain files from static/."""
    build = Path(app.config.get("ASSETS_DIR") or BUILD)
    try:
        manifest = load_manifest(build)
    except AssetsNotBuilt as error:
        if app.config.get("ASSETS_REQUIRED"):
            raise
        app.logger.warning("%s Serving the plain files, uncompressed and unhashed.", error)
        manifest = None
    app.extensions["cortile.assets"] = manifest
    app.jinja_env.globals["stylesheets"] = stylesheets
    app.jinja_env.globals["scripts"] = scripts
    if manifest is None:
        return
    files = manifest["files"]

    def hashed_static_url(endpoint, values):
        if endpoint == "static" and values.get("filename") in files:
            values["filename"] = files[values["filename"]]

    hashed_static_url.static_only = True  # templates' remembered url_for may skip it (fieldapp/render.py)
    app.url_defaults(hashed_static_url)

    from whitenoise import WhiteNoise

    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(build / "static"), prefix="static/", max_age=None,
                              allow_all_origins=False, add_headers_function=_headers,
                              immutable_file_test=lambda path, url: _is_hashed(url))
    static_dir = build / "static"

    def stale_or_unknown(filename):
        """Only reached when WhiteNoise has no such file: an old hashed name gets today's file."""
        match = HASHED.match(filename)
        plain = f"{match['stem']}{match['suffix']}" if match else None
        if plain not in files:
            abort(404)
        response = send_from_directory(static_dir, plain, max_age=0)
        response.headers["Cache-Control"] = "no-cache"  # not immutable: the name promised other bytes
        return response

    app.view_functions["static"] = stale_or_unknown


def _is_hashed(url):
    """True for a hashed name (its bytes never change: cached forever), False for plain names."""
    return HASHED.match(url.rsplit("/", 1)[-1]) is not None


def _headers(headers, path, url):
    if "immutable" not in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = "no-cache"  # plain names change in place: revalidate each time
    headers["X-Content-Type-Options"] = "nosniff"


def stylesheets():
    """The page's stylesheet URLs: the one bundle when built, else its sources one by one."""
    if current_app.extensions.get("cortile.assets"):
        return [url_for("static", filename=BUNDLE)]
    return [url_for("static", filename=name) for name in bundle_sources(Path(current_app.static_folder))]


def scripts():
    """The page's script URLs: the bundles when built, else their sources one by one."""
    if current_app.extensions.get("cortile.assets"):
        return [url_for("static", filename=name) for name in SCRIPT_BUNDLES]
    return [url_for("static", filename=name) for sources in SCRIPT_BUNDLES.values() for name in sources]


def shell_files():
    """The static files the service worker precaches, by plain name; None when not built."""
    manifest = current_app.extensions.get("cortile.assets")
    return manifest and manifest["shell"]


def build_version():
    manifest = current_app.extensions.get("cortile.assets")
    return manifest and manifest["version"]


def plain_name(filename):
    match = HASHED.match(filename)
    return f"{match['stem']}{match['suffix']}" if match else filename


def unhashed(text):
    """Text with every hashed static name put back to its plain name (for comparing pages)."""
    return re.sub(r"(/static/[\w./-]+)\.[0-9a-f]{12}(\.[A-Za-z0-9]+)", r"\1\2", text)
