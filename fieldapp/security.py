"""CSRF on every form, strict security headers, private caching of signed-in pages."""
from urllib.parse import urlsplit

from flask import abort, request
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

csrf = CSRFProtect()


def content_security_policy(app, script_hashes=()):
    """The CSP: our own origin only, plus the configured map tile server for images."""
    tiles = urlsplit(app.config["TILE_URL"])
    tile_origin = f"{tiles.scheme}://{tiles.netloc}" if tiles.netloc else ""
    scripts = " ".join(["'self'", *(f"'sha256-{h}'" for h in script_hashes)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        f"img-src 'self' data: blob: {tile_origin}".strip(),
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def refuse_nameless_fields():
    """A multipart part without a readable name (none, or a line break in it) is a bad request, before CSRF or
    any view looks for its fields by name (Flask-WTF's token lookup crashed on one)."""
    if request.mimetype == "multipart/form-data" and (None in request.form or None in request.files):
        abort(400)


def init_app(app):
    app.before_request(refuse_nameless_fields)  # registered before CSRF's own hook, so it runs first
    csrf.init_app(app)
    # Forwarded headers come from anyone unless a proxy we run overwrites them: trust exactly
    # as many hops as there are proxies, none by default.
    hops = int(app.config["TRUSTED_PROXIES"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    default_csp = content_security_policy(app)

    @app.before_request
    def refuse_json_on_form_routes():
        # Flask-WTF would read a JSON body as the form: a top-level list, 1e400 or deep nesting reached
        # the forms and crashed them. Only the JSON APIs take JSON.
        from fieldapp.errors import JSON_PREFIXES

        if request.is_json and not request.path.startswith(JSON_PREFIXES):
            abort(415)

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", default_csp)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Permissions-Policy"] = "camera=(self), geolocation=(self), microphone=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config["HTTPS"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        # Pages a signed-in user sees may carry personal data: never in shared caches.
        # A view may choose its own private policy (photos are immutable, so cached longer).
        if not request.path.startswith("/static/") and current_user and current_user.is_authenticated:
            chosen = response.cache_control
            if not (chosen.private or chosen.no_store):
                headers["Cache-Control"] = "private, no-cache"
        return response
