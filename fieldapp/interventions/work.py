"""Open interventions whose tenant notice names a tutor to ask: the successor is named instead."""
from flask_babel import lazy_gettext as _l

from fieldapp.handover import Handover
from fieldapp.interventions.vocab import OPEN_STATUSES

WHERE = f"status IN ({', '.join(repr(s) for s in OPEN_STATUSES)}) AND tutor_id = ?"


def named(db, user_id, _to_id=None):
    return db.execute(f"SELECT COUNT(*) FROM interventions WHERE {WHERE}", [user_id]).fetchone()[0]


def move(db, from_id, to_id):
    return db.execute(f"UPDATE interventions SET tutor_id = ?, version = version + 1 WHERE {WHERE}",
                      [to_id, from_id]).rowcount


HANDOVERS = (Handover("interventions", _l("Open interventions naming them as the tutor to ask"), named, move),)
