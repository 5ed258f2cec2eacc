"""The operator's triage: new reports in order of urgency, the next one after a decision, and verifying several at
once."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _

from fieldapp.db import is_uuid
from fieldapp.reports import filters, queries, workflow
from fieldapp.reports.vocab import AREAS, CATEGORIES


def is_triage(chosen):
    """The list shows the triage when it is filtered to the reports awaiting verification."""
    return chosen.get("statuses") == ["new"]


def name(report):
    """How a message names a report: its short number, what and where."""
    return f"#{report['uuid'][:8]} ({CATEGORIES[report['category']]} · {AREAS[report['area']]}, {report['address']})"


def parse(value):
    """A checkbox value "uuid:version" -> (uuid, version), or None when it is not one."""
    uuid, _sep, version = (value or "").partition(":")
    uuid = uuid.strip().lower()
    if not is_uuid(uuid) or not version.isascii() or not version.isdigit() or len(version) > 9:
        return None
    return uuid, int(version)


def verify_many(values, user):
    """Verify each chosen report on its own: (verified, refused), refused as (name, reason).

    A refused report is left as it was; the others are verified all the same, each in its own
    transaction, so one report changed meanwhile never holds back the rest.
    """
    verified, refused = [], []
    for value in dict.fromkeys(values):  # the same box twice counts once
        chosen = parse(value)
        report = queries.report(chosen[0]) if chosen else None
        if report is None or not filters.can_see(report, user):
            refused.append((f"«{value[:45]}»", _("not a report you can see")))
            continue
        if report["status"] != "new":
            refused.append((name(report), _("no longer awaiting verification")))
            continue
        try:
            workflow.transition(report, "verified", user, version=chosen[1])
        except workflow.StaleReport:
            refused.append((name(report), _("changed by someone else meanwhile: open it to check")))
        except workflow.TransitionError as error:
            refused.append((name(report), str(error.message)))
        else:
            verified.append(name(report))
    return verified, refused


def after_decision(decided):
    """After a decision, the next report awaiting verification; back to the list when none is left."""
    following = queries.next_new_report(decided, filters.scope())
    if following is None:
        flash(_("No other report is awaiting verification."), "info")
        return redirect(url_for("reports.report_list", status="new"), 303)
    flash(_("Here is the next report awaiting verification."), "info")
    return redirect(url_for("reports.report_detail", uuid=following), 303)
