"""One URL, page or fragment: htmx gets the partial, everyone else the whole page."""
import functools
import hashlib
from pathlib import Path

import jinja2
from flask import make_response, render_template, request
from flask_htmx import HTMX

htmx = HTMX()


def render(template, fragment=None, status=200, **context):
    """Render `template`, or `fragment` for an htmx request that swaps part of a page.

    Boosted navigation and history restores (htmx sends HX-Request with both) get the whole page.
    """
    partial = fragment and htmx and not htmx.boosted and not htmx.history_restore_request
    response = make_response(render_template(fragment if partial else template, **context), status)
    response.vary.add("HX-Request")
    return response


def whole_document(view):
    """For a page with a map: a boosted htmx visit gets an empty answer that tells htmx to load the page
    for real, because the map's inline scripts need the Content-Security-Policy of their own document."""

    @functools.wraps(view)
    def answer(*args, **kwargs):
        if htmx.boosted:
            response = make_response("", 200)
            response.headers["HX-Redirect"] = request.full_path.rstrip("?")
            return response
        return view(*args, **kwargs)

    return answer


BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"),
            ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari")]
SYSTEMS = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]


def device(user_agent):
    """A browser's User-Agent as a person names the device: "Chrome · Android" (None: unknown)."""
    if not user_agent:
        return None
    browser = next((name for mark, name in BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in SYSTEMS if mark in user_agent), None)
    return " · ".join(part for part in (browser, system) if part) or None


def init_app(app):
    """Compiled templates kept on disk, and template fragments cached (fieldapp.fragments)."""
    from fieldapp import fragments

    app.add_template_filter(device)
    fragments.init_app(app)
    env = app.jinja_env
    env.globals["url_for"] = remembered_url_for(app, env.globals["url_for"])
    # gunicorn recycles a worker every ~1000 requests: without this, each new worker compiles every
    # template again (about 0.5 s for the household page) while its requests wait.
    folder = Path(app.instance_path) / "cache" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        app.logger.warning("no writable %s: templates are compiled anew in each worker", folder)
        return
    # Jinja checks the template's source, not the environment's settings: a change of extensions or
    # Jinja version gets its own files.
    autoescape = getattr(env.autoescape, "__qualname__", env.autoescape)
    finalize = getattr(env.finalize, "__qualname__", env.finalize)
    settings = repr((jinja2.__version__, sorted(env.extensions), autoescape, finalize, env.optimized, env.trim_blocks,
                     env.lstrip_blocks, env.keep_trailing_newline, env.newline_sequence))
    fingerprint = hashlib.sha256(settings.encode()).hexdigest()[:12]
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder), f"{fingerprint}-%s.cache")
    app.extensions["cortile.template_cache"] = folder


def remembered_url_for(app, build):
    """Templates' url_for, remembering the URLs it built: a page asks for ~40 (menu, rows, links).

    A URL depends only on the endpoint, the arguments and where the app is mounted, unless a
    url_defaults function (other than the asset manifest's, for static files) takes part, or the URL is absolute
    or of a static file (whose name an asset manifest may change): those are built every time.
    """
    built = {}

    def other_defaults():
        # The asset manifest's hook only renames static files, which are never remembered.
        return any(not getattr(f, "static_only", False) for fs in app.url_default_functions.values() for f in fs)

    def url_for(endpoint, **values):
        if endpoint == "static" or other_defaults() or any(k[:1] == "_" for k in values):
            return build(endpoint, **values)
        # The type too: page=1 and page=True are equal keys but different URLs.
        key = (endpoint, request.script_root, request.blueprint if endpoint[:1] == "." else None,
               *sorted((k, type(v), v) for k, v in values.items()))
        try:
            url = built.get(key)
        except TypeError:  # a list of values: not remembered
            return build(endpoint, **values)
        if url is None:
            url = build(endpoint, **values)
            if len(built) >= 4096:
                built.clear()
            built[key] = url
        return url

    return url_for
