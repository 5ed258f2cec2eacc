"""Retention of reporters' contacts: a closed report keeps no way to reach who filed it, and no e-mail to them."""
from datetime import timedelta

from fieldapp import clock
from fieldapp.lifecycle import RetentionStep
from fieldapp.messages.queue import forget
from fieldapp.reports.api import OPEN_STATUSES

# Room to answer a follow-up question after closing, then the contact goes (privacy notice on /segnala).
CONTACT_DAYS_AFTER_CLOSE = 30


def erase_contacts(db, dry_run=True):
    """Uuids of the closed reports whose reporter contact is past its time; erased unless dry_run, with the
    e-mails sent to the reporter (their address is in them).

    Inside the caller's transaction (retention applies every step in one).
    """
    cutoff = clock.iso(clock.utc_now() - timedelta(days=CONTACT_DAYS_AFTER_CLOSE))
    where = (f"(reporter_email IS NOT NULL OR reporter_phone IS NOT NULL OR uuid IN (SELECT substr(ref, 8) "
             f"FROM messages WHERE ref LIKE 'report:%')) AND status NOT IN ({', '.join('?' * len(OPEN_STATUSES))}) "
             "AND COALESCE(updated_at, created_at) < ?")
    params = [*OPEN_STATUSES, cutoff]
    uuids = [row["uuid"] for row in db.query(f"SELECT uuid FROM reports WHERE {where}", params)]
    if uuids and not dry_run:
        db.execute(f"UPDATE reports SET reporter_email = NULL, reporter_phone = NULL, reporter_updates = 0 "
                   f"WHERE {where}", params)
        forget(db, [f"report:{uuid}" for uuid in uuids])
    return uuids


def retain(db, _days, dry_run):
    erased = erase_contacts(db, dry_run=dry_run)
    return [(f"reporters' contacts erased (reports closed over {CONTACT_DAYS_AFTER_CLOSE} days ago)", len(erased))]


RETENTION = RetentionStep("reporter_contacts", retain)
