"""Heating contributions waiting for someone's step: the equipe reviews, the coordinator approves (digest)."""
from flask_babel import lazy_gettext as _l

from fieldapp.db import get_db
from fieldapp.messages.digest import Digest


def waiting(status):
    """Contributions in `status` in the latest version of each season: only the latest version moves."""
    def count(_user):
        return get_db().execute(
            """SELECT COUNT(*) FROM heating_contributions c JOIN heating_versions v ON v.id = c.version_id
               WHERE c.status = ?
                 AND v.version = (SELECT MAX(version) FROM heating_versions WHERE season = v.season)""",
            [status]).fetchone()[0]
    return count


DIGESTS = (Digest(("equipe",), _l("Heating contributions waiting for your review"), waiting("computed"),
                  "heating.index"),
           Digest(("coordinator",), _l("Heating contributions waiting for your approval"), waiting("reviewed"),
                  "heating.index"))
