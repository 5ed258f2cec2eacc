"""Privacy has no pages of its own (the audit page lives in admin); it stamps pages for offline expiry."""
from flask import current_app

from fieldapp import clock
from fieldapp.privacy.blueprint import bp


@bp.app_context_processor
def offline_binding():
    """When the server rendered the page, and how long a saved copy may be shown offline after that."""
    return {"rendered_at_ms": int(clock.utc_now().timestamp() * 1000),
            "offline_max_hours": float(current_app.config["OFFLINE_MAX_HOURS"])}
