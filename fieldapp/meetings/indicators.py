"""The meetings area's indicators: numerators over its records, declared in fieldapp/meetings/__init__.py."""
from flask_babel import lazy_gettext as _l

from fieldapp.db import get_db
from fieldapp.indicators.measure import scope_sql, tally
from fieldapp.indicators.registry import indicator
from fieldapp.meetings.queries import TOTAL
from fieldapp.meetings.vocab import CONTEXTS, KINDS, PARTICIPANT_GROUPS

# A meeting's place: its building, or its quartiere; the pilot contexts are pilot areas themselves.
_KEYS = {"context": "m.context", "kind": "m.kind", "quartiere": "COALESCE(b.quartiere_id, m.quartiere_id)",
         "pilot_area": "CASE WHEN m.context IN ('borgo_loreto', 'pagliari') THEN m.context ELSE b.pilot_area END"}
_SOURCE = "meetings m LEFT JOIN buildings b ON b.id = m.building_id"
_HELD = "m.held_on >= ? AND m.held_on < ?"
_LINKS = {"records": "meetings.meeting_list", "record_filters": (("context", "context"),),
          "key_labels": {"context": CONTEXTS, "kind": KINDS,
                         "group": {c.removeprefix("participants_"): label for c, label in PARTICIPANT_GROUPS.items()}}}


def _days(period):
    return [period.start.isoformat(), period.end.isoformat()]


@indicator("meetings.count", _l("Meetings held"), service="community", tables=("meetings",),
           counted=_l("meetings"),
           description=_l("Group meetings and community activities, on the day they were held."),
           disaggregations=("context", "kind", "quartiere", "pilot_area"), **_LINKS)
def meetings_count(period, by=None, scope=None):
    return tally("COUNT(*)", _SOURCE, _HELD, _days(period), by=by, keys=_KEYS, scope=scope)


@indicator("meetings.participants", _l("Meeting participants"), service="community", tables=("meetings",),
           counted=_l("participants"),
           disaggregations=("group", "context", "kind", "quartiere", "pilot_area"), **_LINKS,
           description=_l("Participants counted by group at each meeting (people at two meetings count twice)."))
def meetings_participants(period, by=None, scope=None):
    if by != "group":
        return tally(f"COALESCE(SUM({TOTAL}), 0)", _SOURCE, _HELD, _days(period), by=by, keys=_KEYS, scope=scope)
    extra, extra_params = scope_sql(scope)
    sums = ", ".join(f"COALESCE(SUM(m.{c}), 0)" for c in PARTICIPANT_GROUPS)
    row = get_db().execute(f"SELECT {sums} FROM {_SOURCE} WHERE {_HELD}{extra}",
                           [*_days(period), *extra_params]).fetchone()
    out = {None: sum(row)}
    out.update({column.removeprefix("participants_"): value
                for column, value in zip(PARTICIPANT_GROUPS, row, strict=True)})
    return out


INDICATORS = (meetings_count, meetings_participants,)
