"""Cortile: the field app of a municipal social-housing programme."""
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

from . import config

# The areas of the app, in dependency order: each is fieldapp/<area>/ with a
# blueprint `bp` in routes.py and, when it owns tables, a `migrations` set in
# migrations.py. This list is the map of the app.
AREAS = [
    "core",
    "auth",
    "registry",
    "visits",
    "meetings",
    "pwa",
    "reports",
    "maps",
    "interventions",
    "admin",
    "heating",
    "energy",
    "arrears",
    "plans",
    "pacts",
    "public",
    "governance",
    "privacy",
]


def create_app(test_config=None):
    """Build the Flask app: defaults, then instance config or test mapping, then CORTILE_* env."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        static_folder=str(Path(__file__).parent.parent / "static"),
        template_folder=str(Path(__file__).parent.parent / "templates"),
    )
    app.config.from_mapping(config.DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    app.config.from_prefixed_env("CORTILE")
    _derive_settings(app)

    from . import assets, compress, db, errors, fields, i18n, photostore, security
    from .access import check_every_route_declares_access
    from .render import htmx
    from .render import init_app as render_setup

    compress.init_app(app)  # first registered, so its after_request runs last, on the finished response
    db.init_app(app)
    htmx.init_app(app)
    fields.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    photostore.init_app(app)
    assets.init_app(app)
    render_setup(app)  # after i18n: the template cache's files are named after the Jinja settings

    import importlib

    for area in AREAS:
        app.register_blueprint(importlib.import_module(f"fieldapp.{area}.routes").bp)
    from sync.routes import bp as sync_bp

    app.register_blueprint(sync_bp)
    for area in AREAS:
        module = f"fieldapp.{area}.cli"
        if importlib.util.find_spec(module):
            importlib.import_module(module).init_app(app)

    check_every_route_declares_access(app)
    if not app.config.get("SKIP_MIGRATIONS"):
        with app.app_context():
            app.extensions["cortile.migrated"] = db.upgrade()
    return app


def _derive_settings(app):
    """Fill the settings that depend on the instance folder or on other settings."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config["DATABASE"] = app.config["DATABASE"] or str(instance / "cortile.db")
    app.config["PHOTOS_DIR"] = app.config["PHOTOS_DIR"] or str(instance / "photos")
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    hours = float(app.config["SESSION_LIFETIME_HOURS"])
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=hours)
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=float(app.config["REMEMBER_DAYS"]))
    https = bool(app.config["HTTPS"])
    app.config["SESSION_COOKIE_SECURE"] = https
    app.config["REMEMBER_COOKIE_SECURE"] = https
    app.config["PREFERRED_URL_SCHEME"] = "https" if https else "http"
    app.config["VERSION"] = config.VERSION


def _instance_secret(path):
    """Read the instance's secret key, generating it (mode 0600) on first start."""
    if not path.exists():
        # Write then link: two workers starting together agree on one key.
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
