"""The presidio a leaving tutor works at: their successor takes it (a handover), unless they are there already.
Other roles may name a presidio too, but their work does not hang on it: it stays as it is.

A new presidio changes what the successor may see: their open sessions end, as an administrator's change
of presidio ends them (fieldapp.auth.queries.update_user).
"""
from flask_babel import lazy_gettext as _l

from fieldapp.access import PRESIDIO_ROLES
from fieldapp.auth import sessions
from fieldapp.handover import Handover


def _presidi(db, from_id, to_id):
    """(the leaving tutor's presidio or None, the successor's)."""
    rows = {row[0]: row[1:] for row in db.execute("SELECT id, presidio_code, role FROM users WHERE id IN (?, ?)",
                                                  [from_id, to_id]).fetchall()}
    leaving = rows.get(from_id, (None, None))
    return leaving[0] if leaving[1] in PRESIDIO_ROLES else None, rows.get(to_id, (None,))[0]


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


HANDOVERS = (Handover("presidio", _l("Presidio"), presidio, move),)
