"""E-mails to a resident who left an address: each change of their report's status, with a link to stop.

Queued in the transaction of the change (fieldapp.reports.workflow.transition). The address of the building
and the status, as the follow-up page shows them: never a note, a name or who handled it.
"""
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fieldapp import clock
from fieldapp.messages.mail import Mail, link
from fieldapp.messages.queue import queue
from fieldapp.reports import queries
from fieldapp.reports.vocab import AREAS, CATEGORIES, STATUSES

WHAT_IT_MEANS = {
    "verified": _l("An operator of the Comune has checked it: the problem is there."),
    "planned": _l("A firm is booked to deal with it."),
    "in_progress": _l("The work has started."),
    "resolved": _l("The problem is recorded as solved. If it is still there, send a new report."),
    "rejected": _l("The operator could not take it on: it may be inside a flat, or not a common-area problem."),
    "duplicate": _l("Another report already describes this problem: it is followed there."),
    "with_aler": _l("The building belongs to ALER: the report has been passed to ALER's office."),
    "aler_taken": _l("ALER's office has taken it on."),
}


def status_changed(db, uuid, to):
    """Queue the news of a new status to the reporter, if they left an e-mail and did not stop them."""
    reporter = queries.reporter(uuid, db=db)
    if reporter is None or not reporter["reporter_updates"] or not reporter["reporter_email"]:
        return None
    token = reporter["public_token"]
    stop = link("public.report_stop", token=token)

    def compose():
        day = format_date(clock.parse(reporter["created_at"]), "d MMMM y")
        paragraphs = [_("Your report of %(day)s about %(address)s (%(category)s, %(area)s) has a new status: "
                        "%(status)s.", day=day, address=reporter["address"], status=STATUSES[to],
                        category=str(CATEGORIES.get(reporter["category"], "")).lower(),
                        area=str(AREAS.get(reporter["area"], "")).lower())]
        if to in WHAT_IT_MEANS:
            paragraphs.append(str(WHAT_IT_MEANS[to]))
        return Mail(
            subject=_("Your report about %(address)s: %(status)s", address=reporter["address"], status=STATUSES[to]),
            paragraphs=paragraphs,
            links=[(_("Follow your report"), link("public.report_status", token=token)),
                   (_("Stop the e-mails about this report"), stop)],
            closing=[_("You get these e-mails because you left your address when you sent the report.")],
            # RFC 8058: mail programs offer "unsubscribe", and post to the link without opening it.
            headers={"List-Unsubscribe": f"<{stop}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})

    return queue(db, "report_status", "resident", reporter["reporter_email"], compose, ref=f"report:{uuid}",
                 thread=True)
