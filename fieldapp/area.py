"""What an area brings to the app, declared in one place: `fieldapp/<area>/__init__.py` builds an `Area`.

`create_app` lists the areas (fieldapp.areas) and installs each: blueprints, commands, migrations,
and the pieces other parts reach through a registry of this app, never by importing the area:
household and building panels, photo owners, indicators, offline pages, retention and erasure steps,
digest counters, scheduled messages and handovers; and the OpenAPI description of an area's API.
Nothing of an area exists because a module happened to be imported: what is not declared is not there.
"""
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from flask import Blueprint

from fieldapp import db, offline, panels
from fieldapp.indicators import registry as indicator_registry
from fieldapp.photos import owners as photo_owners

EXTENSION_KEY = "cortile.areas"


@dataclass(frozen=True)
class Area:
    """One area of the app, as `create_app` installs it."""

    name: str
    blueprints: tuple = ()
    views: tuple = ()  # the modules whose views are on the blueprints: reached from here, never by chance
    commands: tuple = ()  # click groups
    migrations: object = None  # a sqlite_utils Migrations set
    demo: Callable | None = None  # load(db, rng) -> [summary lines]
    panels: tuple = ()  # fieldapp.panels.Panel
    photo_owners: tuple = ()  # fieldapp.photos.owners.PhotoOwner
    indicators: tuple = ()  # fieldapp.indicators.registry.Indicator
    offline_pages: tuple = ()  # fieldapp.offline.OfflinePages
    retention: tuple = ()  # fieldapp.lifecycle.RetentionStep
    erasure: tuple = ()  # fieldapp.lifecycle.ErasureStep
    statutory: tuple = ()  # fieldapp.lifecycle.StatutoryHold
    digests: tuple = ()  # fieldapp.messages.digest.Digest: lines of each person's daily e-mail
    scheduled: tuple = ()  # fieldapp.messages.digest.Scheduled: messages queued on their own day
    handovers: tuple = ()  # fieldapp.handover.Handover: a user's open work, and how it moves to a successor
    openapi: dict | None = None  # {"paths", "components"}: its machine-facing API, for /openapi.json
    setup: Callable | None = None  # setup(app): anything else the area needs of the app

    def __post_init__(self):
        for module in self.views:
            if not isinstance(module, ModuleType):
                raise TypeError(f"{self.name}: views lists modules, not {module!r}")
        for blueprint in self.blueprints:
            if not isinstance(blueprint, Blueprint):
                raise TypeError(f"{self.name}: blueprints lists Blueprints, not {blueprint!r}")


def install(app, areas):
    """Install `areas`, in order, into `app`."""
    for area in areas:
        for blueprint in area.blueprints:
            app.register_blueprint(blueprint)
        for command in area.commands:
            app.cli.add_command(command)
        if area.migrations is not None:
            app.extensions.setdefault(db.MIGRATIONS_KEY, []).append(area.migrations)
        panels.install(app, area.panels)
        photo_owners.install(app, area.photo_owners)
        indicator_registry.install(app, area.indicators)
        offline.install(app, area.offline_pages)
        if area.setup:
            area.setup(app)
    app.extensions[EXTENSION_KEY] = tuple(areas)


def installed(app):
    """The app's areas, in the order they were installed."""
    return app.extensions.get(EXTENSION_KEY, ())
