"""The SQL of period close and the Region report: the field records of a period, late or open ones, idle presidi,
staff activity.

Kept apart from the dashboard's queries: this module reads records, never indicators.
"""
import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l

from fieldapp.clock import local_zone


@dataclass(frozen=True)
class Source:
    table: str
    label: object
    key: str  # the record's id column
    own: str  # the record's own date: a local day or wall clock, or a UTC timestamp when utc
    service: str
    presidio: str = "NULL"  # SQL giving the record's presidio code, with alias t for the record
    joins: str = ""
    entered: str = ""  # what "entered late" compares created_at with, when not the own date
    author: str = "t.created_by"
    minutes: str = "NULL"
    standard: str = ""  # a record without minutes of its own counts STANDARD_DURATION_MINUTES[standard], estimated
    utc: bool = False
    photos: str = ""  # photos.owner of the record, when it announces photos (expected_photos)
    late_check: bool = True  # planned work is entered before its day, never "late"
    page: tuple = ()  # (endpoint, argument) of the record's own page, when it has one


HOUSEHOLD = ("JOIN households h ON h.id = t.household_id JOIN units u ON u.id = h.unit_id "
             "JOIN buildings b ON b.id = u.building_id")
BUILDING = "JOIN buildings b ON b.id = t.building_id"

SOURCES = (
    Source("visits", _l("Home visit"), "uuid", "t.visited_at", "tutoring", "b.presidio_code", HOUSEHOLD,
           minutes="t.duration_minutes", standard="visits", page=("visits.visit_detail", "visit_uuid")),
    Source("followups", _l("Follow-up done"), "uuid", "t.done_at", "tutoring", "b.presidio_code", HOUSEHOLD,
           author="t.done_by", utc=True, late_check=False),
    Source("reports", _l("Common-area report"), "uuid", "t.created_at", "common_areas", "b.presidio_code", BUILDING,
           entered="t.client_created_at", utc=True, photos="report", page=("reports.report_detail", "uuid")),
    Source("interventions", _l("Intervention"), "uuid", "t.scheduled_on", "common_areas", "b.presidio_code",
           BUILDING, late_check=False),
    Source("meetings", _l("Meeting"), "uuid", "t.held_on", "community", "b.presidio_code",
           "LEFT JOIN buildings b ON b.id = t.building_id", minutes="t.duration_minutes",
           page=("meetings.meeting_detail", "meeting_uuid")),
    Source("pact_activities", _l("Pact activity"), "uuid", "t.held_on", "pacts", "p.presidio_code",
           "JOIN pacts p ON p.id = t.pact_id", photos="pact_activity"),
    Source("plan_sessions", _l("Individual plan session"), "uuid", "t.held_on", "plans",
           minutes="t.duration_minutes"),
    Source("arrears_contacts", _l("Arrears contact"), "id", "t.contacted_on", "arrears", "b.presidio_code",
           HOUSEHOLD, minutes="t.duration_minutes", standard="arrears_contacts"),
)


def sources(db):
    """The sources whose tables exist in this database."""
    tables = set(db.table_names())
    return [s for s in SOURCES if s.table in tables]


def _window(source, period):
    if source.utc:
        return f"{source.own} >= ? AND {source.own} < ?", [period.utc_since, period.utc_until]
    return f"{source.own} >= ? AND {source.own} < ?", [period.start.isoformat(), period.end.isoformat()]


def fingerprints(db, period):
    """{(table, id): sha256 of the whole row} of every field record of the period."""
    out = {}
    for source in sources(db):
        where, params = _window(source, period)
        cursor = db.execute(f"SELECT t.* FROM {source.table} t WHERE {where}", params)
        names = [d[0] for d in cursor.description]
        key = names.index(source.key)
        # Plain tuples, not dicts: thousands of rows a month at scale. Column names join the hash so a
        # migration that adds a column is a visible change, not a silent one.
        head = repr(names).encode()
        for row in cursor:
            out[(source.table, str(row[key]))] = hashlib.sha256(head + repr(row).encode()).hexdigest()
    return out


def describe(db, keys):
    """{(table, id): {label, day, presidio}} for the given records that still exist."""
    out = {}
    by_table = {}
    for table, record in keys:
        by_table.setdefault(table, []).append(record)
    for source in sources(db):
        ids = by_table.get(source.table)
        if not ids:
            continue
        marks = ",".join("?" * len(ids))
        rows = db.query(f"SELECT t.{source.key} AS id, {source.own} AS own, {source.presidio} AS presidio "
                        f"FROM {source.table} t {source.joins} WHERE t.{source.key} IN ({marks})", ids)
        for row in rows:
            out[(source.table, str(row["id"]))] = {"label": source.label, "day": _day(row["own"], source.utc),
                                                   "presidio": row["presidio"], "page": source.page}
    return out


def _day(value, utc, zone=None):
    if not value:
        return None
    try:
        if utc:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return (moment.astimezone(zone or local_zone()) if moment.tzinfo else moment).date()
        return date.fromisoformat(value[:10])
    except ValueError:  # a device clock's odd string: no day, never a 500
        return None


def late_records(db, period, days):
    """Records of the period entered (server time) more than `days` local days after their own day."""
    late, zone = [], local_zone()
    for source in sources(db):
        where, params = _window(source, period)
        if not source.late_check:
            continue
        entered = source.entered or source.own
        # SQL keeps the candidates (a looser bound, in UTC days); Python decides in local days.
        rows = db.query(f"SELECT t.{source.key} AS id, {entered} AS own, t.created_at, {source.presidio} AS presidio "
                        f"FROM {source.table} t {source.joins} WHERE {where} "
                        f"AND julianday(t.created_at) > julianday(substr({entered}, 1, 10)) + ?", [*params, days])
        for row in rows:
            own = _day(row["own"], source.utc or bool(source.entered), zone)
            entered_on = _day(row["created_at"], True, zone)
            if own is None or entered_on is None:
                continue
            if (entered_on - own).days > days:
                late.append({"table": source.table, "id": str(row["id"]), "label": source.label, "day": own,
                             "entered": entered_on, "delay": (entered_on - own).days, "presidio": row["presidio"]})
    return sorted(late, key=lambda r: (r["presidio"] or "", r["day"], r["table"]))


def open_records(db, period):
    """Records of the period still waiting for photos a phone announced (its outbox is not empty)."""
    waiting = []
    for source in sources(db):
        if not source.photos or "photos" not in db.table_names():
            continue
        where, params = _window(source, period)
        rows = db.query(
            f"SELECT t.{source.key} AS id, {source.own} AS own, {source.presidio} AS presidio, "
            f"t.expected_photos AS expected, "
            f"(SELECT count(*) FROM photos ph WHERE ph.owner = ? AND ph.owner_id = t.{source.key}) AS arrived "
            f"FROM {source.table} t {source.joins} WHERE {where} AND t.expected_photos > 0", [source.photos, *params])
        for row in rows:
            if row["arrived"] < row["expected"]:
                waiting.append({"table": source.table, "id": str(row["id"]), "label": source.label,
                                "day": _day(row["own"], source.utc), "presidio": row["presidio"],
                                "missing": row["expected"] - row["arrived"]})
    return sorted(waiting, key=lambda r: (r["presidio"] or "", r["day"]))


def idle_presidi(db, period):
    """Presidi (code, name) with no field record of any kind in the period."""
    active = set()
    for source in sources(db):
        if source.presidio == "NULL":
            continue
        where, params = _window(source, period)
        active |= {r["p"] for r in db.query(
            f"SELECT DISTINCT {source.presidio} AS p FROM {source.table} t {source.joins} WHERE {where}", params)}
    return [r for r in db.query("SELECT code, name FROM presidi ORDER BY code") if r["code"] not in active]


def staff_activity(db, period):
    """Records and minutes per month, author's ROLE and service: never per named worker (L. 300/1970 art. 4).

    A record without a duration of its own counts its source's standard duration (STANDARD_DURATION_MINUTES);
    those minutes are also given apart, as `estimated_minutes`.
    """
    totals, zone = {}, local_zone()
    standards = current_app.config["STANDARD_DURATION_MINUTES"]
    for source in sources(db):
        where, params = _window(source, period)
        # Local days group in SQL by their month; UTC instants need the local zone, row by row.
        own = source.own if source.utc else f"substr({source.own}, 1, 7)"
        standard = int(standards.get(source.standard, 0)) if source.standard else 0
        guessed = f"CASE WHEN {source.minutes} IS NULL THEN ? ELSE 0 END"
        rows = db.execute(f"SELECT {own}, u.role, count(*), coalesce(sum({source.minutes}), 0), "
                          f"coalesce(sum({guessed}), 0) FROM {source.table} t "
                          f"JOIN users u ON u.id = {source.author} WHERE {where} GROUP BY 1, 2", [standard, *params])
        for own_value, role, count, minutes, estimated in rows:
            month = own_value if not source.utc else (_day(own_value, True, zone) or period.start).strftime("%Y-%m")
            records, total, guess = totals.get((month, role, source.service), (0, 0, 0))
            totals[(month, role, source.service)] = (records + count, total + minutes + estimated, guess + estimated)
    return [{"month": k[0], "role": k[1], "service": k[2], "records": v[0], "minutes": v[1], "estimated_minutes": v[2]}
            for k, v in sorted(totals.items())]



def month_start(month):
    """The first day of a "YYYY-MM" month, as a date (a real date in the report's cells)."""
    return date.fromisoformat(f"{month}-01")
