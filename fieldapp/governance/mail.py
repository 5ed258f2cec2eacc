"""E-mails of the governance: to ALER, each report passed to it (with photo links that expire) and a
monthly summary; to the coordinators, a month closed and its report to the Region ready.

Counts, places and links only: no household, no name, no amount. The details are behind the sign-in.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from fieldapp import clock
from fieldapp.auth.api import users_by_role
from fieldapp.governance.labels import period_label
from fieldapp.messages.mail import Mail, link
from fieldapp.messages.queue import queue
from fieldapp.photos import links
from fieldapp.photos.attachments import photos_for
from fieldapp.reports.api import AREAS, CATEGORIES, SEVERITIES


def _day(stamp):
    return format_date(clock.parse(stamp), "d MMMM y") if stamp else "—"


def report_passed(db, report):
    """Queue the news of a report passed to ALER to ALER_EMAIL, inside the pass's transaction."""
    photos = photos_for("report", report["uuid"])
    until = clock.local_today() + timedelta(days=float(current_app.config["PHOTO_LINK_DAYS"]))

    def compose():
        photo_links = [(_("Photo %(number)d (the link works until %(day)s)", number=number,
                          day=format_date(until, "d MMMM y")),
                        link("photos.shared", token=links.token_for(photo["uuid"])))
                       for number, photo in enumerate(photos, 1)]
        return Mail(
            subject=_("Report passed to ALER: %(category)s, %(address)s", address=report["address"],
                      category=CATEGORIES.get(report["category"], report["category"])),
            paragraphs=[_("The Comune di Cremona passes you a report on a common area of an ALER building. Take "
                          "it on, or say it is resolved, on the ALER coordination page.")],
            facts=[(_("Building"), f"{report['address']}, Cremona ({report['building_code']})"),
                   (_("Where"), str(AREAS.get(report["area"], report["area"]))),
                   (_("What is the problem"), str(CATEGORIES.get(report["category"], report["category"]))),
                   (_("Severity"), str(SEVERITIES.get(report["severity"], report["severity"]))),
                   (_("Reported"), _day(report["created_at"]))],
            links=[*photo_links, (_("ALER coordination (sign-in needed)"), link("governance.aler_home"))])

    return queue(db, "aler_report", "aler", current_app.config.get("ALER_EMAIL"), compose,
                 ref=f"report:{report['uuid']}")


def aler_month(db, today, month_totals):
    """The previous month's summary to ALER_EMAIL, queued once (the digest runs this every day);
    `month_totals(first day)` are the ALER page's own counts."""
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    email = current_app.config.get("ALER_EMAIL")
    if not email:
        return 0
    totals = month_totals(first)
    month = format_date(first, "MMMM y")

    def compose():
        return Mail(
            subject=_("Cortile: the month of %(month)s in the ALER buildings", month=month),
            paragraphs=[_("The month in the common areas of the ALER buildings of Cremona, in numbers. The file "
                          "has one row per building.")],
            facts=[(_("Reports filed"), totals["filed"]), (_("Reports passed to ALER"), totals["passed"]),
                   (_("Reports taken on by ALER"), totals["taken"]), (_("Reports resolved by ALER"),
                                                                      totals["resolved"]),
                   (_("Interventions scheduled"), totals["interventions"]),
                   (_("Interventions done"), totals["interventions_done"])],
            links=[(_("The month per building (CSV, sign-in needed)"),
                    link("governance.aler_monthly", month=f"{first:%Y-%m}")),
                   (_("ALER coordination (sign-in needed)"), link("governance.aler_home"))])

    return int(bool(queue(db, "aler_month", "aler", email, compose, once_key=f"aler-month:{first:%Y-%m}")))


def month_closed(db, period, acknowledged):
    """Queue the news of a closed period to every coordinator with an address, inside the lock's transaction."""
    month = period_label(period)

    def compose():
        return Mail(
            subject=_("%(month)s is closed: the report to the Region is ready", month=month.capitalize()),
            paragraphs=[_("%(month)s is closed: its figures are frozen, and the report to the Region can be "
                          "downloaded.", month=month.capitalize())]
                       + ([_("It was closed with open points on its completeness check: see the close page.")]
                          if acknowledged else []),
            links=[(_("The close of the month (sign-in needed)"), link("governance.close_month", key=period.key)),
                   (_("Report to the Region, spreadsheet"), link("governance.report_xlsx", key=period.key)),
                   (_("Report to the Region, PDF"), link("governance.report_pdf", key=period.key))])

    return [queue(db, "month_closed", "staff", person["email"], compose, user_id=person["id"],
                  ref=f"period:{period.key}") for person in users_by_role("coordinator")]
