"""The installable app: web manifest, the service worker at root scope, offline and outbox pages.

The offline and outbox pages are public and hold no server data: the service worker precaches them
without cookies, and the outbox page lists what is saved on the phone (IndexedDB), not on the server.
"""
import hashlib
import json
import re
from pathlib import Path

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from fieldapp import assets
from fieldapp.access import public
from fieldapp.pwa.blueprint import bp
from fieldapp.render import render

THEME_COLOUR = "#0066cc"
# Files under static/ the app shell precaches: everything a page needs to draw itself offline.
SHELL_SUFFIXES = {".css", ".js", ".woff2", ".png", ".svg"}
SHELL_PAGES = ("pwa.offline", "pwa.outbox", "pwa.manifest")
# Templates the shell pages are made of: a change to them is a new shell version.
SHELL_TEMPLATES = ("base.html", "_macros.html", "pwa")


@bp.get("/manifest.webmanifest")
@public
def manifest():
    with force_locale("it"):
        body = {
            "id": "/",
            "name": "Cortile",
            "short_name": "Cortile",
            "description": _("Field app of the public-housing accompaniment service."),
            "lang": "it",
            "dir": "ltr",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "orientation": "portrait",
            "theme_color": THEME_COLOUR,
            "background_color": "#ffffff",
            "icons": [
                *({"src": url_for("static", filename=f"icons/icon-{size}.png"), "sizes": f"{size}x{size}",
                   "type": "image/png", "purpose": "any"} for size in (192, 512)),
                *({"src": url_for("static", filename=f"icons/maskable-{size}.png"), "sizes": f"{size}x{size}",
                   "type": "image/png", "purpose": "maskable"} for size in (192, 512)),
            ],
        }
    response = current_app.response_class(json.dumps(body, ensure_ascii=False),
                                          mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
@public
def service_worker():
    """static/sw.js with its VERSION and SHELL filled in; at the root so its scope is the whole app."""
    version, shell = app_shell()
    source = Path(current_app.static_folder, "sw.js").read_text()
    # The scripts it imports under their hashed names; the plain -> hashed map for pages saved earlier.
    source = re.sub(r'"/static/([^"]+)"', lambda m: json.dumps(url_for("static", filename=m[1])), source)
    current = {url[:url.rfind("/") + 1] + assets.plain_name(url[url.rfind("/") + 1:]): url
               for url in shell if "/static/" in url}
    body = (source.replace('"__VERSION__"', json.dumps(version))
                  .replace('["__SHELL__"]', json.dumps(shell, indent=2))
                  .replace('{"__CURRENT__": ""}', json.dumps(current, indent=2))
                  .replace('"__OFFLINE_MAX_HOURS__"', json.dumps(float(current_app.config["OFFLINE_MAX_HOURS"]))))
    response = current_app.response_class(body, mimetype="text/javascript")
    # Browsers check for a new worker on every navigation; never let a cache answer for it.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
@public
def offline():
    return render("pwa/offline.html")


@bp.get("/outbox")
@public
def outbox():
    return render("pwa/outbox.html")


def app_shell():
    """(version, urls): the precache list and a hash of everything in it, computed once per process."""
    cached = current_app.extensions.get("cortile_shell")
    if cached and not current_app.debug:
        return cached
    static = Path(current_app.static_folder)
    digest = hashlib.sha256((static / "sw.js").read_bytes())
    built = assets.shell_files()
    if built is not None:
        # Built: hashed names stand for the bytes, the build's version for all of them.
        names = built
        digest.update(assets.build_version().encode())
    else:
        files = sorted(p for p in static.rglob("*")
                       if p.is_file() and p.suffix in SHELL_SUFFIXES and p.name != "sw.js")
        names = [p.relative_to(static).as_posix() for p in files]
        for path in files:
            digest.update(path.relative_to(static).as_posix().encode())
            digest.update(path.read_bytes())
    templates = Path(current_app.template_folder)
    for name in SHELL_TEMPLATES:
        for path in sorted([templates / name] if (templates / name).is_file() else (templates / name).rglob("*")):
            digest.update(path.read_bytes())
    for path in sorted(Path(current_app.root_path).parent.glob("translations/*/LC_MESSAGES/*.po")):
        digest.update(path.read_bytes())
    urls = [url_for(endpoint) for endpoint in SHELL_PAGES]
    urls += [url_for("static", filename=name) for name in names]
    result = (f"{current_app.config['VERSION']}-{digest.hexdigest()[:12]}", urls)
    current_app.extensions["cortile_shell"] = result
    return result
