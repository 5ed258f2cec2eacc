"""E-mails to an intervention's contractor: the booking (with the tenant notice), each change, the cancellation.

Queued in the transaction of the step itself (fieldapp.interventions.workflow). No household data, no
names (the attached notice leaves out the tutor's), no amounts: the intervention, the building, the time.
"""
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from fieldapp.interventions import notice, queries
from fieldapp.interventions.vocab import KINDS
from fieldapp.messages.mail import Attachment, Mail
from fieldapp.messages.queue import queue
from fieldapp.reports.api import AREAS

CHANGES = ("notified", "in_progress", "done")


def facts(intervention, reports):
    day = format_date(date.fromisoformat(intervention["scheduled_on"]), "EEEE d MMMM y")
    areas = [str(AREAS[code]).lower() for code in AREAS if code in {r["area"] for r in reports}]
    return [(_("Intervention"), str(KINDS.get(intervention["kind"], intervention["kind"]))),
            (_("Building"), f"{intervention['address']}, Cremona"),
            (_("Common areas"), ", ".join(areas) or _("The common areas of the building")),
            (_("Day"), day),
            (_("Time window"), f"{notice.hour(intervention['time_from'])}–{notice.hour(intervention['time_to'])}")]


def _send(db, intervention, kind, compose):
    contractor = queries.contractor(intervention["contractor_id"], db=db)
    return queue(db, kind, "contractor", contractor and contractor["email"], compose,
                 ref=f"intervention:{intervention['id']}", thread=True)


def booking(db, intervention_id):
    """Queue the booking of a newly planned intervention, the tenant notice attached as a PDF."""
    intervention = queries.intervention(intervention_id, db=db)
    reports = queries.linked_reports(intervention_id)

    def compose():
        sheets = notice.sheets(intervention, reports, queries.buildings_touched(intervention_id), names=False)
        return Mail(
            subject=_("Booking no. %(id)s: %(kind)s, %(address)s, %(day)s", id=intervention_id,
                      kind=KINDS.get(intervention["kind"], intervention["kind"]), address=intervention["address"],
                      day=format_date(date.fromisoformat(intervention["scheduled_on"]), "d MMMM y")),
            paragraphs=[_("The Comune di Cremona books your firm for the intervention below."),
                        _("The tenant notice is attached: it is posted at the entrance of the building before "
                          "the day.")],
            facts=facts(intervention, reports),
            closing=[_("To change or cancel the booking, call the common-areas office of the Servizio Alloggi. "
                       "Any change will reach you at this address.")],
            attachments=[Attachment(f"avviso-intervento-{intervention_id}.pdf", "application/pdf",
                                    notice.pdf(sheets))])

    return _send(db, intervention, "booking", compose)


def changed(db, intervention, to):
    """Queue the news of a step (tenants notified, work started, done) or of the cancellation."""
    if to not in (*CHANGES, "cancelled"):
        return None
    reports = queries.linked_reports(intervention["id"])
    lines = {
        "notified": _("The tenants have been notified: the notice is posted at the entrance."),
        "in_progress": _("The work is recorded as started."),
        "done": _("The work is recorded as done. Thank you."),
        "cancelled": _("The intervention is cancelled: please do not go."),
    }

    def compose():
        subject = (_("Cancelled: booking no. %(id)s, %(address)s", id=intervention["id"],
                     address=intervention["address"]) if to == "cancelled" else
                   _("Update on booking no. %(id)s, %(address)s", id=intervention["id"],
                     address=intervention["address"]))
        return Mail(subject=subject, paragraphs=[lines[to]], facts=facts(intervention, reports))

    return _send(db, intervention, "booking_cancelled" if to == "cancelled" else "booking_changed", compose)
