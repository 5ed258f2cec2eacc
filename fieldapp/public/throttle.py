"""Per-address rate limits of the public pages, counted in the database so every worker agrees."""
from datetime import timedelta

from flask import current_app, request

from fieldapp import clock
from fieldapp.audit import pseudonym
from fieldapp.public import queries

WINDOW = timedelta(minutes=1)
KEEP = timedelta(hours=1)


def over_limit(kind):
    """Count this request; True when its address already made the configured number this minute.

    `kind` is "post" (reports sent, from the page or Open311) or "read" (Open311 reads, status pages).
    The address is stored only as a keyed hash, and for an hour at most.
    """
    limit = int(current_app.config[f"PUBLIC_{kind.upper()}S_PER_MINUTE"])
    address = pseudonym(request.remote_addr or "unknown")
    moment = clock.utc_now()
    if queries.count_hits(kind, address, clock.iso(moment - WINDOW)) >= limit:
        return True
    queries.add_hit(kind, address, clock.iso(moment), clock.iso(moment - KEEP))
    return False


def retry_after():
    return str(int(WINDOW.total_seconds()))
