"""The arrears team's open work: cases they are the referent of and decisions they own (moved by a
handover); case conferences coming up (counted by the digest)."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from fieldapp.clock import local_today
from fieldapp.db import get_db
from fieldapp.handover import Handover
from fieldapp.messages.digest import Digest

CONFERENCE_DAYS = 7


def conferences_coming(user):
    today = local_today()
    return get_db().execute("SELECT COUNT(*) FROM conferences WHERE held_on BETWEEN ? AND ?",
                            [today.isoformat(), (today + timedelta(days=CONFERENCE_DAYS)).isoformat()]).fetchone()[0]


def cases(db, user_id, _to_id=None):
    return db.execute("SELECT COUNT(*) FROM arrears_cases WHERE owner_id = ?", [user_id]).fetchone()[0]


def move_cases(db, from_id, to_id):
    return db.execute("UPDATE arrears_cases SET owner_id = ?, version = version + 1 WHERE owner_id = ?",
                      [to_id, from_id]).rowcount


# A decision of a case conference is open until its due date.
DECISIONS = "FROM conference_items WHERE owner_id = ? AND decision IS NOT NULL AND due_on >= ?"


def decisions(db, user_id, _to_id=None):
    return db.execute(f"SELECT COUNT(*) {DECISIONS}", [user_id, local_today().isoformat()]).fetchone()[0]


def move_decisions(db, from_id, to_id):
    return db.execute(f"UPDATE conference_items SET owner_id = ? WHERE id IN (SELECT id {DECISIONS})",
                      [to_id, from_id, local_today().isoformat()]).rowcount


DIGESTS = (Digest(("equipe",), _l("Case conferences in the next 7 days"), conferences_coming,
                  "arrears.conference_list"),)
HANDOVERS = (Handover("arrears_cases", _l("Arrears cases they are the referent of"), cases, move_cases),
             Handover("conference_decisions", _l("Case-conference decisions they own, not yet due"), decisions,
                      move_decisions))
