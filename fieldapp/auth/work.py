"""The presidio a leaving person works at: their successor takes it (a handover), unless they are there already.

A new presidio changes what the successor may see: their open sessions end, as an administrator's change
of presidio ends them (fieldapp.auth.queries.update_user).
"""
from flask_babel import lazy_gettext as _l

from fieldapp.auth import sessions
from fieldapp.handover import Handover


def _presidi(db, from_id, to_id):
    rows = dict(db.execute("SELECT id, presidio_code FROM users WHERE id IN (?, ?)", [from_id, to_id]).fetchall())
    return rows.get(from_id), rows.get(to_id)


def presidio(db, from_id, to_id=None):
    leaving, successor = _presidi(db, from_id, to_id)
    return int(leaving is not None and (to_id is None or successor != leaving))


def move(db, from_id, to_id):
    leaving, successor = _presidi(db, from_id, to_id)
    if leaving is None or successor == leaving:
        return 0
    db.execute("UPDATE users SET presidio_code = ?, session_epoch = session_epoch + 1 WHERE id = ?", [leaving, to_id])
    sessions.end_all(to_id, "access_changed", db=db)
    return 1


HANDOVERS = (Handover(_l("Presidio"), presidio, move),)
