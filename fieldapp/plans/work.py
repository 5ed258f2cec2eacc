"""An educator's open work: active plans (moved by a handover), reviews due (counted by the digest)."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from fieldapp.clock import local_today
from fieldapp.db import get_db
from fieldapp.handover import Handover
from fieldapp.messages.digest import Digest
from fieldapp.plans.routes import AGENDA_DAYS


def reviews_due(user):
    horizon = (local_today() + timedelta(days=AGENDA_DAYS)).isoformat()
    return get_db().execute("SELECT COUNT(*) FROM plans WHERE status = 'active' AND educator_id = ? "
                            "AND review_on <= ?", [user["id"], horizon]).fetchone()[0]


def active(db, user_id, _to_id=None):
    return db.execute("SELECT COUNT(*) FROM plans WHERE status = 'active' AND educator_id = ?",
                      [user_id]).fetchone()[0]


def move(db, from_id, to_id):
    return db.execute("UPDATE plans SET educator_id = ?, version = version + 1 "
                      "WHERE status = 'active' AND educator_id = ?", [to_id, from_id]).rowcount


DIGESTS = (Digest(("educator",), _l("Plan reviews due in the next 30 days (overdue ones included)"), reviews_due,
                  "plans.agenda"),)
HANDOVERS = (Handover("plans", _l("Active individual plans"), active, move),)
