"""Handing over a leaving person's open work: each area declares what open work of a user it holds
(`Area.handovers`, a `Handover` each) and how to move it; the administrator's page never names a table."""
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

from fieldapp.area import installed


@dataclass(frozen=True)
class Handover:
    """One kind of open work, named `kind` in the audit log: `count(db, from_id, to_id=None)` (what would
    move; some kinds depend on the successor), and `move(db, from_id, to_id)` -> how many moved, inside the
    handover's one transaction.
    """

    kind: str
    label: object
    count: Callable
    move: Callable


def declared():
    return [item for area in installed(current_app) for item in area.handovers]


def open_work(db, user_id, successor_id=None):
    """[(kind, label, count)] of every kind, zeros included (the page says what does not move, too)."""
    return [(item.kind, item.label, item.count(db, user_id, successor_id)) for item in declared()]


def hand_over(db, from_id, to_id):
    """Move every kind of open work, inside the caller's transaction; [(kind, label, moved)]."""
    with db.atomic():
        return [(item.kind, item.label, item.move(db, from_id, to_id)) for item in declared()]
