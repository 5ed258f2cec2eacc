"""Per-address rate limits of the public pages, counted in the database so every worker agrees.

Reports (from /segnala or Open311) are limited per minute and per day; reads per minute. The address is
stored only as a keyed hash: a report's for one day (what the daily cap needs), a read's for one hour.
"""
from datetime import timedelta

from flask import current_app, g, request

from fieldapp import clock
from fieldapp.audit import pseudonym
from fieldapp.public import queries

WINDOW = timedelta(minutes=1)
DAY = timedelta(days=1)
KEEP = {"post": DAY, "read": timedelta(hours=1)}


def over_limit(kind):
    """Count this request; True when its address already made the allowed number (then `retry_after()`).

    `kind` is "post" (reports sent, from the page or Open311) or "read" (Open311 reads, status pages).
    """
    config = current_app.config
    address = pseudonym(request.remote_addr or "unknown")
    moment = clock.utc_now()
    g.throttle_wait = WINDOW
    per_minute = int(config[f"PUBLIC_{kind.upper()}S_PER_MINUTE"])
    if queries.count_hits(kind, address, clock.iso(moment - WINDOW)) >= per_minute:
        return True
    per_day = int(config["PUBLIC_POSTS_PER_DAY"])
    if kind == "post" and queries.count_hits(kind, address, clock.iso(moment - DAY)) >= per_day:
        g.throttle_wait = DAY
        return True
    queries.add_hit(kind, address, clock.iso(moment), clock.iso(moment - KEEP[kind]))
    return False


def retry_after():
    """Seconds to wait, for the Retry-After header: a minute, or a day after the daily cap."""
    return str(int(g.get("throttle_wait", WINDOW).total_seconds()))


def daily_cap_reached():
    return g.get("throttle_wait") == DAY
