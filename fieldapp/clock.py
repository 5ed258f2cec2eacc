"""The one clock of the app: server code, `demo load` and the tests all read the time here.

Tests pin it with time-machine (see tests/conftest.py), so nothing depends on the day they run.
"""
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

ISO = "%Y-%m-%dT%H:%M:%SZ"


def utc_now():
    """Now, as an aware UTC datetime to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def now():
    """Now as the ISO 8601 UTC string of every *_at column."""
    return utc_now().strftime(ISO)


def iso(moment):
    """An aware datetime in the *_at column format."""
    return moment.astimezone(UTC).strftime(ISO)


def parse(stamp):
    """A *_at column's text as an aware UTC datetime."""
    return datetime.strptime(stamp, ISO).replace(tzinfo=UTC)


def local_zone():
    """The zone where the service works (Europe/Rome unless configured)."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else "Europe/Rome")


def local_now():
    """The wall-clock time where the service works, to the minute, without a time zone."""
    return datetime.now(local_zone()).replace(tzinfo=None, second=0, microsecond=0)


def local_today():
    return local_now().date()


def utc_start_of(day):
    """The *_at timestamp at which a local day begins (records stored in UTC compare with it)."""
    return iso(datetime.combine(day, time(), tzinfo=local_zone()))
