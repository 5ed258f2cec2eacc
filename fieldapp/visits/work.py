"""A tutor's open work in visits: follow-ups assigned to them (counted by the digest, moved by a handover)."""
from flask_babel import lazy_gettext as _l

from fieldapp.clock import local_today
from fieldapp.db import get_db
from fieldapp.handover import Handover
from fieldapp.messages.digest import Digest

OPEN = "FROM followups f JOIN households h ON h.id = f.household_id WHERE f.status = 'open' AND h.active = 1"


def due(user, compare):
    return get_db().execute(f"SELECT COUNT(*) {OPEN} AND f.assignee_id = ? AND f.due_on {compare} ?",
                            [user["id"], local_today().isoformat()]).fetchone()[0]


def open_followups(db, user_id, _to_id=None):
    return db.execute("SELECT COUNT(*) FROM followups WHERE status = 'open' AND assignee_id = ?",
                      [user_id]).fetchone()[0]


def move_followups(db, from_id, to_id):
    return db.execute("UPDATE followups SET assignee_id = ?, version = version + 1 "
                      "WHERE status = 'open' AND assignee_id = ?", [to_id, from_id]).rowcount


DIGESTS = (Digest(("tutor",), _l("Follow-ups overdue"), lambda user: due(user, "<"), "visits.agenda"),
           Digest(("tutor",), _l("Follow-ups due today"), lambda user: due(user, "="), "visits.agenda"))
HANDOVERS = (Handover("followups", _l("Open follow-ups"), open_followups, move_followups),)
