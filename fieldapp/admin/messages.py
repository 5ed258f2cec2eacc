"""Outgoing e-mail for the administrator: whether sending works, what waits, and what failed (send again)."""
from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fieldapp.access import allow
from fieldapp.admin.blueprint import bp
from fieldapp.audit import audit
from fieldapp.db import get_db
from fieldapp.messages import queue, smtp
from fieldapp.messages.addresses import masked
from fieldapp.render import render

AUDIENCES = {"staff": _l("Staff"), "contractor": _l("Contractor"), "aler": _l("ALER office"),
             "resident": _l("Resident")}


def shown(message):
    """A resident's address is shown masked: the administrator needs to tell messages apart, not to write."""
    address = masked(message["recipient"]) if message["audience"] == "resident" else message["recipient"]
    return {**message, "address": address, "audience_label": AUDIENCES[message["audience"]]}


@bp.get("/messages")
@allow("admin")
def messages():
    db = get_db()
    try:
        server = smtp.server(current_app.config)
    except ValueError as error:  # a wrong SMTP_SECURITY: say so rather than fail
        server, problem = None, str(error)
    else:
        problem = None
    return render("admin/messages.html", server=server, problem=problem, counts=queue.counts(db),
                  sender=smtp.sender_state(db), failed=[shown(m) for m in queue.listing(db, "failed")],
                  waiting=[shown(m) for m in queue.listing(db, "queued")])


@bp.post("/messages/<int:message_id>/send-again")
@allow("admin")
def message_send_again(message_id):
    db = get_db()
    if not queue.send_again(db, message_id):
        abort(404)
    audit("message_sent_again", target=str(message_id))
    flash(_("The e-mail is back in the queue: it goes with the next sending."), "success")
    return redirect(url_for(".messages"), 303)
