"""The daily digest: for each person, how much waits for them, each count with its link.

The areas declare what they count (`Area.digests`, a `Digest` each) and the messages they queue on their
own day (`Area.scheduled`, e.g. ALER's monthly summary); this module never imports an area.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from fieldapp import clock
from fieldapp.area import installed
from fieldapp.messages.mail import Mail, link
from fieldapp.messages.queue import queue


@dataclass(frozen=True)
class Digest:
    """One line of the digest for people of `roles`: `count(user)` (a users row) and where to see them."""

    roles: tuple
    label: object
    count: Callable
    endpoint: str
    args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Scheduled:
    """A message an area queues on its own day: `run(db, today)` returns how many it queued.

    It runs with the digest, every day; it must queue each message once (a `once_key`).
    """

    name: str
    run: Callable


def counters():
    return [d for area in installed(current_app) for d in area.digests]


def digest_time():
    hours, _colon, minutes = str(current_app.config["DIGEST_TIME"]).partition(":")
    return time(int(hours), int(minutes or 0))


def time_has_come():
    return clock.local_now().time() >= digest_time()


def recipients(db):
    return list(db.query("SELECT id, username, role, presidio_code, email FROM users "
                         "WHERE active = 1 AND digest = 1 AND email IS NOT NULL ORDER BY id"))


def lines_for(user):
    """(label, count, URL) of every counter for the user's role that is not zero."""
    lines = []
    for counter in counters():
        if user["role"] in counter.roles:
            count = counter.count(user)
            if count:
                lines.append((counter.label, count, link(counter.endpoint, **counter.args)))
    return lines


def compose(today, lines):
    def mail():
        return Mail(
            subject=_("Cortile: what waits for you today, %(day)s", day=format_date(today, "EEEE d MMMM")),
            paragraphs=[_("Good morning. This is what waits for you in Cortile today; the details are on each "
                          "page, after you sign in.")],
            facts=[(str(label), count, url) for label, count, url in lines],
            closing=[_("You get this e-mail at %(time)s on the days when something waits for you. You can turn "
                       "it off on your account page.", time=current_app.config["DIGEST_TIME"])],
            links=[(_("My account"), link("auth.account"))])
    return mail


def queue_day(db, today):
    """Queue today's digest of each person who has something waiting, then the areas' scheduled messages.

    Returns (digests, scheduled) queued. A person gets at most one digest a day, however often this runs.
    """
    digests = 0
    for user in recipients(db):
        lines = lines_for(user)
        if lines and queue(db, "digest", "staff", user["email"], compose(today, lines), user_id=user["id"],
                           once_key=f"digest:{user['id']}:{today.isoformat()}"):
            digests += 1
    scheduled = sum(item.run(db, today) for area in installed(current_app) for item in area.scheduled)
    return digests, scheduled
