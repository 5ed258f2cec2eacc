"""What waits for the operator each morning: new reports to verify (the digest counts them)."""
from flask_babel import lazy_gettext as _l

from fieldapp.db import get_db
from fieldapp.messages.digest import Digest


def awaiting(_user):
    return get_db().execute("SELECT COUNT(*) FROM reports WHERE status = 'new'").fetchone()[0]


DIGESTS = (Digest(("operator",), _l("Reports awaiting verification"), awaiting, "reports.report_list",
                  {"status": "new"}),)
