"""The records photos may belong to: each area declares its own (`Area.photo_owners`), installed per app."""
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

EXTENSION_KEY = "cortile.photo_owners"


@dataclass(frozen=True)
class PhotoOwner:
    """Photos may belong to `name` records.

    - `find(ref)`: the record the signed-in user may add photos to; raises NotFound or Forbidden.
    - `column`: the record's column that photos name as their `owner_id`.
    - `see(owner_id)`: raises NotFound unless the signed-in user may see this record's photos.
    """

    name: str
    find: Callable
    column: str
    see: Callable


def owners():
    """{name: PhotoOwner} of the current app."""
    return current_app.extensions.get(EXTENSION_KEY, {})


def install(app, photo_owners):
    """Record the owners the areas declared; one name, one owner."""
    found = app.extensions.setdefault(EXTENSION_KEY, {})
    for owner in photo_owners:
        if owner.name in found:
            raise RuntimeError(f"photo owner {owner.name!r} declared twice")
        found[owner.name] = owner
