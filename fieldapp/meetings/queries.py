"""SQL of meetings, their next steps and the participation summaries."""
import json

from fieldapp.db import get_db, now
from fieldapp.meetings.vocab import PARTICIPANT_GROUPS
from fieldapp.records.idempotency import content_hash
from fieldapp.where import Where

TOTAL = " + ".join(f"m.{column}" for column in PARTICIPANT_GROUPS)
MEETING_COLUMNS = f"""m.*, ({TOTAL}) AS participants, b.address AS building_address, q.name AS quartiere_name,
    a.display_name AS author_name, e.display_name AS editor_name"""
MEETING_FROM = """meetings m
    LEFT JOIN buildings b ON b.id = m.building_id
    LEFT JOIN quartieri q ON q.id = m.quartiere_id
    LEFT JOIN users a ON a.id = m.created_by
    LEFT JOIN users e ON e.id = m.updated_by"""


def _decoded(row):
    return {**row, "topics": json.loads(row["topics"]), "outcomes": json.loads(row["outcomes"])}


def _columns(content):
    columns = {k: v for k, v in content.items() if k != "steps"}
    columns["topics"] = json.dumps(columns["topics"])
    columns["outcomes"] = json.dumps(columns["outcomes"])
    return columns


def meeting(meeting_uuid):
    row = next(get_db().query(f"SELECT {MEETING_COLUMNS} FROM {MEETING_FROM} WHERE m.uuid = ?", [meeting_uuid]), None)
    return row and _decoded(row)


def steps(meeting_uuid):
    return list(get_db().query(
        "SELECT action, due_on FROM meeting_steps WHERE meeting_uuid = ? ORDER BY position", [meeting_uuid]))


def _insert_steps(db, meeting_uuid, rows):
    db["meeting_steps"].insert_all(
        [{"meeting_uuid": meeting_uuid, "position": i, **row} for i, row in enumerate(rows)])


def create_meeting(meeting_uuid, content, user_id, client_created_at=None, db=None):
    """Store a meeting and its next steps together, or nothing."""
    db = db or get_db()
    with db.atomic():
        db["meetings"].insert({
            "uuid": meeting_uuid, **_columns(content), "created_at": now(), "client_created_at": client_created_at,
            "created_by": user_id, "version": 1, "content_hash": content_hash(content),
        })
        _insert_steps(db, meeting_uuid, content["steps"])


def update_meeting(meeting_uuid, base_version, content, user_id):
    """Apply an edit made from `base_version`; False (and nothing changed) when the meeting moved on."""
    db = get_db()
    columns = _columns(content)
    with db.atomic():
        cursor = db.execute(
            f"UPDATE meetings SET {', '.join(f'{k} = :{k}' for k in columns)}, updated_at = :stamp, "
            "updated_by = :user_id, version = version + 1 WHERE uuid = :uuid AND version = :base_version",
            {**columns, "stamp": now(), "user_id": user_id, "uuid": meeting_uuid, "base_version": base_version},
        )
        if cursor.rowcount != 1:
            return False
        db.execute("DELETE FROM meeting_steps WHERE meeting_uuid = ?", [meeting_uuid])
        _insert_steps(db, meeting_uuid, content["steps"])
    return True


def _filters(context=None, building_id=None, quartiere_id=None, since=None, until=None):
    where = Where().when(context, "m.context = ?").when(building_id, "m.building_id = ?")
    where.when(quartiere_id, "m.quartiere_id = ?").when(since, "m.held_on >= ?").when(until, "m.held_on <= ?")
    return str(where), where.params


def search_meetings(limit=25, offset=0, **filters):
    """Meetings matching the filters, latest first; limit+1 rows for paging."""
    where, params = _filters(**filters)
    return [_decoded(row) for row in get_db().query(
        f"SELECT {MEETING_COLUMNS} FROM {MEETING_FROM} WHERE {where} "
        "ORDER BY m.held_on DESC, m.start_time DESC LIMIT ? OFFSET ?",
        [*params, limit + 1, offset],
    )]


def totals(**filters):
    """Meetings, participants by group and hours over the filtered meetings."""
    where, params = _filters(**filters)
    groups = ", ".join(f"COALESCE(SUM(m.{c}), 0) AS {c}" for c in PARTICIPANT_GROUPS)
    return next(get_db().query(
        f"""SELECT COUNT(*) AS meetings, COALESCE(SUM({TOTAL}), 0) AS participants, {groups},
                   COALESCE(SUM(m.duration_minutes), 0) AS minutes
            FROM meetings m WHERE {where}""", params))


def monthly(**filters):
    """Meetings and participants per month (YYYY-MM) over the filtered meetings."""
    where, params = _filters(**filters)
    return list(get_db().query(
        f"""SELECT substr(m.held_on, 1, 7) AS month, COUNT(*) AS meetings, SUM({TOTAL}) AS participants,
                   SUM(m.participants_public_housing) AS public_housing
            FROM meetings m WHERE {where} GROUP BY month ORDER BY month""", params))


def by_context(since=None, until=None):
    """One row per context (each building and quartiere apart) with its meetings and participants."""
    where, params = _filters(since=since, until=until)
    return list(get_db().query(
        f"""SELECT m.context, m.building_id, m.quartiere_id, b.address AS building_address,
                   q.name AS quartiere_name, COUNT(*) AS meetings, SUM({TOTAL}) AS participants,
                   MAX(m.held_on) AS last_held_on
            FROM meetings m LEFT JOIN buildings b ON b.id = m.building_id
            LEFT JOIN quartieri q ON q.id = m.quartiere_id
            WHERE {where} GROUP BY m.context, m.building_id, m.quartiere_id
            ORDER BY meetings DESC, m.context""", params))


def counts_of(column, **filters):
    """How often each code of a JSON-array column (topics, outcomes) appears in the filtered meetings."""
    assert column in ("topics", "outcomes")
    where, params = _filters(**filters)
    return {row["code"]: row["n"] for row in get_db().query(
        f"""SELECT j.value AS code, COUNT(*) AS n FROM meetings m, json_each(m.{column}) j
            WHERE {where} GROUP BY j.value ORDER BY n DESC""", params)}


def kinds(**filters):
    where, params = _filters(**filters)
    return {row["kind"]: row["n"] for row in get_db().query(
        f"SELECT m.kind, COUNT(*) AS n FROM meetings m WHERE {where} GROUP BY m.kind ORDER BY n DESC", params)}


def contexts_in_use():
    """Buildings and quartieri that have meetings, for the filters."""
    return list(get_db().query(
        """SELECT DISTINCT m.context, m.building_id, m.quartiere_id, b.address AS building_address,
                  q.name AS quartiere_name
           FROM meetings m LEFT JOIN buildings b ON b.id = m.building_id
           LEFT JOIN quartieri q ON q.id = m.quartiere_id
           WHERE m.context IN ('building', 'quartiere') ORDER BY b.address, q.name"""))
