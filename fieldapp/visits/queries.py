"""SQL of home visits and follow-ups, and the household timeline that reads them."""
import json
import uuid as uuid_module
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fieldapp.audit import record_event
from fieldapp.db import get_db, now
from fieldapp.records.idempotency import content_hash
from fieldapp.where import Where

VISIT_COLUMNS = """v.*, h.code AS household_code, h.arrears_band, b.presidio_code, b.address,
    b.id AS building_id, a.display_name AS author_name, e.display_name AS editor_name"""
VISIT_FROM = """visits v
    JOIN households h ON h.id = v.household_id
    JOIN units u ON u.id = h.unit_id
    JOIN buildings b ON b.id = u.building_id
    LEFT JOIN users a ON a.id = v.created_by
    LEFT JOIN users e ON e.id = v.updated_by"""

FOLLOWUP_COLUMNS = """f.*, h.code AS household_code, h.id AS household_id, b.presidio_code, b.address,
    p.name AS presidio_name, us.display_name AS assignee_name, d.display_name AS done_by_name"""
FOLLOWUP_FROM = """followups f
    JOIN households h ON h.id = f.household_id
    JOIN units u ON u.id = h.unit_id
    JOIN buildings b ON b.id = u.building_id
    LEFT JOIN presidi p ON p.code = b.presidio_code
    LEFT JOIN users us ON us.id = f.assignee_id
    LEFT JOIN users d ON d.id = f.done_by"""


def followup_uuid(visit_uuid, version, index):
    """Follow-ups get uuids derived from their visit's: a replayed form names the same rows."""
    return str(uuid_module.uuid5(uuid_module.UUID(visit_uuid), f"followup:{version}:{index}"))


LIST_COLUMNS = ("present", "topics", "frailty", "referrals")


def _decoded(row):
    """A visit row with its JSON arrays as lists."""
    return {**row, **{key: json.loads(row[key]) for key in LIST_COLUMNS}}


def visit(visit_uuid):
    row = next(get_db().query(f"SELECT {VISIT_COLUMNS} FROM {VISIT_FROM} WHERE v.uuid = ?", [visit_uuid]), None)
    return row and _decoded(row)


def visit_followups(visit_uuid):
    return list(get_db().query(
        f"SELECT {FOLLOWUP_COLUMNS} FROM {FOLLOWUP_FROM} WHERE f.visit_uuid = ? ORDER BY f.due_on, f.uuid",
        [visit_uuid],
    ))


def _visit_columns(content):
    columns = {"duration_minutes": None, **{k: v for k, v in content.items() if k != "followups"}}
    for key in LIST_COLUMNS:
        columns[key] = json.dumps(columns[key])
    return columns


def create_visit(visit_uuid, content, user_id, client_created_at=None, db=None):
    """Store a visit and its follow-ups together, or nothing."""
    db = db or get_db()
    stamp = now()
    with db.atomic():
        db["visits"].insert({
            "uuid": visit_uuid, **_visit_columns(content), "created_at": stamp,
            "client_created_at": client_created_at, "created_by": user_id, "version": 1,
            "content_hash": content_hash(content),
        })
        for index, row in enumerate(content["followups"]):
            _insert_followup(db, followup_uuid(visit_uuid, 1, index), visit_uuid, content["household_id"], row,
                             stamp, user_id, client_created_at)


def _insert_followup(db, uuid, visit_uuid, household_id, row, stamp, user_id, client_created_at=None):
    db["followups"].insert({
        "uuid": uuid, "visit_uuid": visit_uuid, "household_id": household_id, "action": row["action"],
        "due_on": row["due_on"], "assignee_id": row["assignee_id"], "status": "open", "created_at": stamp,
        "client_created_at": client_created_at, "created_by": user_id, "version": 1,
        "content_hash": content_hash(row),
    })
    record_event("followup", uuid, None, "open", user_id=user_id, db=db)


def update_visit(visit_uuid, base_version, content, rows, user_id):
    """Apply an edit made from `base_version`; False (and nothing changed) when the visit moved on.

    `rows` are the submitted follow-up rows: a known open uuid is updated, an open one left out is
    cancelled, a row without uuid is added.
    """
    db = get_db()
    stamp = now()
    with db.atomic():
        cursor = db.execute(
            """UPDATE visits SET visited_at = :visited_at, kind = :kind, present = :present,
                   present_count = :present_count, topics = :topics, frailty = :frailty,
                   arrears_trend = :arrears_trend, repayment_plan = :repayment_plan, referrals = :referrals,
                   outcome = :outcome, note = :note, duration_minutes = :duration_minutes, updated_at = :stamp,
                   updated_by = :user_id, version = version + 1
               WHERE uuid = :uuid AND version = :base_version""",
            {**_visit_columns(content), "stamp": stamp, "user_id": user_id, "uuid": visit_uuid,
             "base_version": base_version},
        )
        if cursor.rowcount != 1:
            return False
        open_rows = {f["uuid"]: f for f in db.query(
            "SELECT * FROM followups WHERE visit_uuid = ? AND status = 'open'", [visit_uuid])}
        kept = set()
        for index, row in enumerate(rows):
            existing = open_rows.get(row["uuid"])
            if existing is None:
                _insert_followup(db, followup_uuid(visit_uuid, base_version + 1, index), visit_uuid,
                                 content["household_id"], row, stamp, user_id)
                continue
            kept.add(existing["uuid"])
            changed = {k: row[k] for k in ("action", "due_on", "assignee_id") if row[k] != existing[k]}
            if changed:
                db.execute(
                    f"UPDATE followups SET {', '.join(f'{k} = ?' for k in changed)}, version = version + 1 "
                    "WHERE uuid = ?", [*changed.values(), existing["uuid"]],
                )
        for uuid in open_rows.keys() - kept:
            db.execute("UPDATE followups SET status = 'cancelled', version = version + 1 WHERE uuid = ?", [uuid])
            record_event("followup", uuid, "open", "cancelled", user_id=user_id, db=db)
    return True


def open_followup_uuids(visit_uuid):
    return {row["uuid"] for row in get_db().query(
        "SELECT uuid FROM followups WHERE visit_uuid = ? AND status = 'open'", [visit_uuid])}


def followup(followup_uuid):
    return next(get_db().query(f"SELECT {FOLLOWUP_COLUMNS} FROM {FOLLOWUP_FROM} WHERE f.uuid = ?",
                               [followup_uuid]), None)


def set_followup_status(followup_uuid, from_status, to_status, user_id):
    """Move a follow-up between open and done, with its event; False when it was not in `from_status`."""
    db = get_db()
    done = to_status == "done"
    with db.atomic():
        cursor = db.execute(
            "UPDATE followups SET status = ?, done_at = ?, done_by = ?, version = version + 1 "
            "WHERE uuid = ? AND status = ?",
            [to_status, now() if done else None, user_id if done else None, followup_uuid, from_status],
        )
        if cursor.rowcount != 1:
            return False
        record_event("followup", followup_uuid, from_status, to_status, user_id=user_id, db=db)
    return True


def agenda_followups(until, presidio_code=None, assignee_id=None):
    """Open follow-ups due on or before `until` (overdue ones included), soonest first."""
    where = Where("f.status = 'open'", "h.active = 1").add("f.due_on <= ?", until)
    where.when(presidio_code, "b.presidio_code = ?").when(assignee_id, "f.assignee_id = ?")
    return list(get_db().query(
        f"SELECT {FOLLOWUP_COLUMNS} FROM {FOLLOWUP_FROM} WHERE {where} ORDER BY f.due_on, h.code, f.uuid LIMIT 500",
        where.params,
    ))


def _stale_where(before, presidio_code, tutor_id):
    where = Where("h.active = 1").add("(lv.last_visit IS NULL OR lv.last_visit < ?)", before)
    where.when(presidio_code, "b.presidio_code = ?").when(tutor_id, "h.tutor_id = ?")
    sql = """FROM households h
        JOIN units u ON u.id = h.unit_id
        JOIN buildings b ON b.id = u.building_id
        LEFT JOIN users t ON t.id = h.tutor_id
        LEFT JOIN (SELECT household_id, MAX(visited_at) AS last_visit FROM visits
                   WHERE outcome IN ('held', 'partial') GROUP BY household_id) lv ON lv.household_id = h.id
        WHERE """ + str(where)
    return sql, where.params


def stale_households(before, presidio_code=None, tutor_id=None, limit=25, offset=0):
    """Active households with no visit held since `before` (never visited first); limit+1 rows."""
    sql, params = _stale_where(before, presidio_code, tutor_id)
    return list(get_db().query(
        f"""SELECT h.id, h.code, h.arrears_band, b.address, u.scala, u.interno, b.presidio_code,
                   t.display_name AS tutor_name, lv.last_visit {sql}
            ORDER BY lv.last_visit IS NOT NULL, lv.last_visit, h.code LIMIT ? OFFSET ?""",
        [*params, limit + 1, offset],
    ))


def count_stale_households(before, presidio_code=None, tutor_id=None):
    sql, params = _stale_where(before, presidio_code, tutor_id)
    return get_db().execute(f"SELECT COUNT(*) {sql}", params).fetchone()[0]


def household_visits(household_id, limit):
    return [_decoded(row) for row in get_db().query(
        f"SELECT {VISIT_COLUMNS} FROM {VISIT_FROM} WHERE v.household_id = ? "
        "ORDER BY v.visited_at DESC, v.created_at DESC LIMIT ?",
        [household_id, limit],
    )]


def household_followups(household_id, limit):
    return list(get_db().query(
        f"SELECT {FOLLOWUP_COLUMNS} FROM {FOLLOWUP_FROM} WHERE f.household_id = ? AND f.status != 'cancelled' "
        "ORDER BY f.due_on DESC LIMIT ?",
        [household_id, limit],
    ))


def building_reports(building_id, limit):
    """Reports on a building, when the reports area is installed (its table may not exist yet)."""
    db = get_db()
    area = _reports_area(db)
    if area is False:
        return []
    return list(db.query(
        f"SELECT uuid, category, {f'[{area}]' if area else 'NULL'} AS common_area, status, created_at "
        "FROM reports WHERE building_id = ? ORDER BY created_at DESC LIMIT ?",
        [building_id, limit],
    ))


def _reports_area(db):
    """The reports table's area column (None if it has none), or False when there is no reports table.

    Looked up once per database file and worker: the household page asked on every read, and the
    schema changes only by migrations, which run before a worker serves.
    """
    path = db.execute("PRAGMA database_list").fetchone()[2]
    if path in _REPORTS_AREA:
        return _REPORTS_AREA[path]
    if "reports" not in db.table_names():
        return False  # not remembered: the reports area may be migrated later in this process
    columns = db["reports"].columns_dict
    area = next((name for name in ("area", "common_area") if name in columns), None)
    if path:  # an in-memory database has no name to remember it by
        _REPORTS_AREA[path] = area
    return area


_REPORTS_AREA = {}


def _local_minute(utc_stamp, zone):
    """A server UTC timestamp as local wall-clock YYYY-MM-DDTHH:MM, comparable with visit times."""
    try:
        moment = datetime.strptime(utc_stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return (utc_stamp or "")[:16]
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def timeline(household, limit, offset=0, zone="Europe/Rome"):
    """Visits, follow-ups and reports on the household's building, newest first; limit+1 entries."""
    wanted = limit + offset + 1
    entries = [{"type": "visit", "at": v["visited_at"], "record": v}
               for v in household_visits(household["id"], wanted)]
    # A follow-up belongs where it matters: on its due date (upcoming ones come first).
    entries += [{"type": "followup", "at": f["due_on"], "record": f}
                for f in household_followups(household["id"], wanted)]
    entries += [{"type": "report", "at": _local_minute(r["created_at"], zone), "record": r}
                for r in building_reports(household["building_id"], wanted)]
    entries.sort(key=lambda e: e["at"] or "", reverse=True)
    return entries[offset:offset + limit + 1]
