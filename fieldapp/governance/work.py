"""What waits for ALER's office each morning: reports passed to it, not yet taken on (the digest counts them)."""
from flask_babel import lazy_gettext as _l

from fieldapp.db import get_db
from fieldapp.messages.digest import Digest


def passed(_user):
    return get_db().execute("SELECT COUNT(*) FROM reports WHERE status = 'with_aler'").fetchone()[0]


DIGESTS = (Digest(("aler",), _l("Reports passed to ALER, waiting to be taken on"), passed, "governance.aler_home"),)
