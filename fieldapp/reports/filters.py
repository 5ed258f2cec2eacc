"""Who sees which reports, and the filters of the list, the map and the GeoJSON layer."""
from datetime import timedelta

from flask_login import current_user

from fieldapp.clock import utc_start_of
from fieldapp.fields import iso_day, whole_number
from fieldapp.reports.vocab import AREAS, CATEGORIES, STATUSES

ALL_REPORTS_ROLES = ("operator", "coordinator", "community")


def scope(user=None):
    """None when the user sees every report; a tutor's presidio and id otherwise."""
    user = user or current_user
    if user.role in ALL_REPORTS_ROLES:
        return None
    if not user.presidio_code:
        # No presidio, no reports, not even their own: NULLs match nothing in SQL.
        return {"presidio_code": None, "user_id": None}
    return {"presidio_code": user.presidio_code, "user_id": user.id}


def can_see(report, user=None):
    viewer = scope(user or current_user)
    if viewer is None:
        return True
    return viewer["presidio_code"] is not None and (
        report["presidio_code"] == viewer["presidio_code"] or report["created_by"] == viewer["user_id"])


def from_args(args):
    """The filters in a query string; unknown values are ignored rather than refused."""
    first, last = iso_day(args.get("from")), iso_day(args.get("to"))
    quartiere = args.get("quartiere", "")
    return {
        "statuses": [s for s in args.getlist("status") if s in STATUSES],
        "category": args.get("category") if args.get("category") in CATEGORIES else None,
        "area": args.get("area") if args.get("area") in AREAS else None,
        "quartiere_id": whole_number(quartiere),
        "presidio_code": (args.get("presidio") or "").strip()[:20] or None,
        "since": utc_start_of(first) if first else None,
        "until": utc_start_of(last + timedelta(days=1)) if last else None,
    }


def form_values(args):
    """The filter values to show back in a filter form."""
    return {"statuses": args.getlist("status"), "category": args.get("category", ""),
            "quartiere": args.get("quartiere", ""), "presidio": args.get("presidio", ""),
            "from": args.get("from", ""), "to": args.get("to", "")}
