"""Cortile: the field app of a municipal social-housing programme."""
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

from . import config


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

    from fieldapp import (
        area,
        assets,
        compress,
        db,
        demo,
        errors,
        fields,
        i18n,
        limits,
        messages,
        openapi,
        security,
        storage_cli,
        text,
    )
    from fieldapp.access import check_every_route_declares_access
    from fieldapp.photos import routes as photo_routes
    from fieldapp.photos import store as photo_store
    from fieldapp.records import ingest as records
    from fieldapp.render import htmx
    from fieldapp.render import init_app as render_setup

    compress.init_app(app)  # first registered, so its after_request runs last, on the finished response
    db.init_app(app)
    htmx.init_app(app)
    fields.init_app(app)
    i18n.init_app(app)
    limits.init_app(app)  # before anything reads a body: each route's own size limit
    security.init_app(app)
    text.init_app(app)  # after CSRF: every text a request brings goes through one rule before any view
    errors.init_app(app)
    photo_store.init_app(app)
    assets.init_app(app)
    render_setup(app)  # after i18n: the template cache's files are named after the Jinja settings
    app.register_blueprint(photo_routes.bp)
    app.register_blueprint(openapi.bp)  # the description of the areas' APIs (Area.openapi)
    for command in (*storage_cli.COMMANDS, demo.demo_cli):
        app.cli.add_command(command)
    messages.init_app(app)  # a base service with a table: its migrations before the areas'
    area.install(app, areas())
    records.init_app(app)  # after the areas' hooks, as the outbox's answer is the last word on a redirect

    check_every_route_declares_access(app)
    if not app.config.get("SKIP_MIGRATIONS"):
        with app.app_context():
            app.extensions["cortile.migrated"] = db.upgrade()
    return app


def areas():
    """The areas of the app, from the base up: the map of the app, as flaskr lists its blueprints.

    Each is a package of fieldapp (sync/ for the outbox's endpoints) whose `area` declares what it
    brings. The order is the order of their migrations and demo data: keep it.
    """
    import sync
    from fieldapp import (
        admin,
        arrears,
        auth,
        core,
        energy,
        governance,
        heating,
        interventions,
        maps,
        meetings,
        pacts,
        plans,
        privacy,
        public,
        pwa,
        registry,
        reports,
        visits,
    )

    return (core.area, auth.area, registry.area, visits.area, meetings.area, pwa.area, reports.area, maps.area,
            interventions.area, admin.area, heating.area, energy.area, arrears.area, plans.area, pacts.area,
            public.area, governance.area, privacy.area, sync.area)


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
