"""A tutor's households: those whose tutor of reference they are move with a handover."""
from flask_babel import lazy_gettext as _l

from fieldapp.handover import Handover


def followed(db, user_id, _to_id=None):
    return db.execute("SELECT COUNT(*) FROM households WHERE active = 1 AND tutor_id = ?", [user_id]).fetchone()[0]


def move(db, from_id, to_id):
    return db.execute("UPDATE households SET tutor_id = ? WHERE active = 1 AND tutor_id = ?",
                      [to_id, from_id]).rowcount


HANDOVERS = (Handover("households", _l("Households they are the tutor of"), followed, move),)
