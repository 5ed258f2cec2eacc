"""SQL of reports and photos.

`scope` limits what a viewer sees: None for everyone's reports, or {"presidio_code", "user_id"}
for a tutor (the reports on their presidio's buildings plus their own).
`filters` is a dict with any of: statuses, category, area, quartiere_id, presidio_code,
building_id, since, until (UTC timestamps, until exclusive), created_by.
"""
from fieldapp.db import get_db
from fieldapp.reports.vocab import SEVERITIES
from fieldapp.where import Where

REPORT_COLUMNS = """r.uuid, r.building_id, r.area, r.category, r.severity, r.description, r.status,
    r.duplicate_of, r.lat, r.lon, r.location_source, r.location_accuracy, r.distance_m, r.far,
    r.expected_photos, r.created_at, r.client_created_at, r.created_by, r.updated_at, r.version,
    r.content_hash, r.source, b.code AS building_code, b.address, b.presidio_code, b.quartiere_id,
    b.lat AS building_lat, b.lon AS building_lon, u.display_name AS created_by_name,
    (SELECT COUNT(*) FROM photos p WHERE p.owner = 'report' AND p.owner_id = r.uuid) AS stored_photos,
    (SELECT p.uuid FROM photos p WHERE p.owner = 'report' AND p.owner_id = r.uuid
      ORDER BY p.created_at, p.rowid LIMIT 1) AS first_photo"""

# ALER coordination (fieldapp/governance/aler.py): the owner of the building and the dates of ALER's moves.
REPORT_COLUMNS += """, b.owner AS building_owner, r.aler_passed_at, r.aler_taken_at, r.aler_resolved_at"""

REPORT_FROM = """reports r JOIN buildings b ON b.id = r.building_id
    LEFT JOIN users u ON u.id = r.created_by"""


def _where(filters=None, scope=None):
    """SQL conditions and parameters for a viewer's scope and a set of filters."""
    filters = filters or {}
    where = Where()
    if scope:
        where.add("(b.presidio_code = ? OR r.created_by = ?)", scope["presidio_code"], scope["user_id"])
    where.any_of("r.status", filters.get("statuses"))
    for key, column in (("category", "r.category"), ("area", "r.area"), ("quartiere_id", "b.quartiere_id"),
                        ("presidio_code", "b.presidio_code"), ("building_id", "r.building_id"),
                        ("created_by", "r.created_by")):
        where.when(filters.get(key), f"{column} = ?")
    where.when(filters.get("since"), "r.created_at >= ?").when(filters.get("until"), "r.created_at < ?")
    return str(where), where.params


def report(uuid, db=None):
    return next((db or get_db()).query(
        # The reporter's contact (residents only) is for the report page, never for lists or exports.
        f"SELECT {REPORT_COLUMNS}, r.reporter_email, r.reporter_phone FROM {REPORT_FROM} WHERE r.uuid = ?", [uuid]
    ), None)


def reporter(uuid, db=None):
    """What an e-mail to a report's reporter needs: their address, whether they want updates, the place."""
    return next((db or get_db()).query(
        "SELECT r.uuid, r.public_token, r.reporter_email, r.reporter_updates, r.category, r.area, r.created_at, "
        "b.address FROM reports r JOIN buildings b ON b.id = r.building_id WHERE r.uuid = ?", [uuid]), None)


def insert_report(row, db=None):
    (db or get_db())["reports"].insert(row)


# Triage: the most severe first, then the oldest (it has waited longest).
SEVERITY_ORDER = tuple(reversed(SEVERITIES))  # the vocabulary lists them mildest first
SEVERITY_RANK = ("CASE r.severity " + " ".join(f"WHEN '{code}' THEN {rank}" for rank, code in enumerate(SEVERITY_ORDER))
                 + f" ELSE {len(SEVERITY_ORDER)} END")
TRIAGE_ORDER = f"{SEVERITY_RANK}, r.created_at, r.uuid"


def search_reports(limit=25, offset=0, filters=None, scope=None, triage=False):
    """Reports matching the filters, newest first (or in triage order); limit+1 rows for paging."""
    where, params = _where(filters, scope)
    order = TRIAGE_ORDER if triage else "r.created_at DESC, r.uuid"
    return list(get_db().query(
        f"SELECT {REPORT_COLUMNS} FROM {REPORT_FROM} WHERE {where} "
        f"ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, limit + 1, offset],
    ))


def next_new_report(after, scope=None):
    """The new report that follows `after` in triage order, going round to the first; None if none is left."""
    where, params = _where({"statuses": ["new"]}, scope)
    rank = SEVERITY_ORDER.index(after["severity"]) if after["severity"] in SEVERITY_ORDER else len(SEVERITY_ORDER)
    row = get_db().execute(
        f"""SELECT r.uuid FROM reports r JOIN buildings b ON b.id = r.building_id WHERE {where} AND r.uuid <> ?
            ORDER BY ({SEVERITY_RANK}, r.created_at, r.uuid) > (?, ?, ?) DESC, {TRIAGE_ORDER} LIMIT 1""",
        [*params, after["uuid"], rank, after["created_at"], after["uuid"]]).fetchone()
    return row[0] if row else None


def count_by_status(filters=None, scope=None):
    where, params = _where(filters, scope)
    return {row["status"]: row["n"] for row in get_db().query(
        f"SELECT r.status, COUNT(*) AS n FROM reports r JOIN buildings b ON b.id = r.building_id "
        f"WHERE {where} GROUP BY r.status", params)}


def map_layer(filters=None, scope=None, db=None):
    """The reports as GeoJSON text, with only what a marker and its popup need.

    SQLite builds the JSON (in C): this runs over thousands of rows. In the merge patch, a null
    removes the key, so "f" (far from the building) and "p" (a photo) appear only when they apply.
    """
    where, params = _where(filters, scope)
    return (db or get_db()).execute(f"""
        SELECT json_object('type', 'FeatureCollection', 'features', json(json_group_array(json(feature))))
        FROM (SELECT json_object(
                'type', 'Feature',
                'geometry', json_object('type', 'Point', 'coordinates', json_array(round(r.lon, 6), round(r.lat, 6))),
                'properties', json_patch(
                    json_object('id', r.uuid, 's', r.status, 'c', r.category, 'a', r.area,
                                'd', substr(r.created_at, 1, 16) || 'Z', 'b', r.building_id),
                    json_object('f', CASE WHEN r.far THEN 1 END,
                                'p', (SELECT p.uuid FROM photos p WHERE p.owner = 'report' AND p.owner_id = r.uuid
                                      ORDER BY p.created_at, p.rowid LIMIT 1)))) AS feature
              FROM reports r JOIN buildings b ON b.id = r.building_id
              WHERE {where})""", params).fetchone()[0]


def layer_version(db=None):
    """Changes whenever a report, or a photo of one, is added or changed: the map layer's ETag.

    Every change of a report bumps its version (see update_status, update_classification).
    """
    return (db or get_db()).execute(
        """SELECT (SELECT COUNT(*) || '.' || COALESCE(SUM(version), 0) || '.' || COALESCE(MAX(updated_at), '')
                          || '.' || COALESCE(MAX(created_at), '') FROM reports)
                  || '.' || (SELECT COUNT(*) FROM photos WHERE owner = 'report')""").fetchone()[0]


def nearby_or_same_place(category, building_id, area, since, box, statuses, scope=None):
    """Open reports of a category in the same building and area since `since`, or inside `box`.

    `box` is (min_lat, max_lat, min_lon, max_lon) or None; the caller keeps those within its radius.
    """
    where, params = _where({"statuses": statuses, "category": category}, scope)
    place = ["(r.building_id = ? AND r.area = ? AND r.created_at >= ?)"]
    params += [building_id, area, since]
    if box:
        place.append("(r.lat BETWEEN ? AND ? AND r.lon BETWEEN ? AND ?)")
        params += list(box)
    return list(get_db().query(
        f"SELECT {REPORT_COLUMNS} FROM {REPORT_FROM} WHERE {where} AND ({' OR '.join(place)}) "
        "ORDER BY r.created_at DESC LIMIT 20", params))


def duplicate_targets(report_row, box, scope=None):
    """Reports this one may duplicate: same building or nearby, not themselves duplicates or rejected."""
    where, params = _where({"statuses": ["new", "verified", "planned", "in_progress", "resolved"]}, scope)
    return list(get_db().query(
        f"""SELECT {REPORT_COLUMNS} FROM {REPORT_FROM} WHERE {where} AND r.uuid <> ?
            AND (r.building_id = ? OR (r.lat BETWEEN ? AND ? AND r.lon BETWEEN ? AND ?))
            ORDER BY r.category = ? DESC, r.created_at DESC LIMIT 30""",
        [*params, report_row["uuid"], report_row["building_id"], *box, report_row["category"]]))


def update_status(uuid, status, version, duplicate_of=None, at=None, db=None):
    """Move a report to `status` if nobody changed it since `version`; True when it did."""
    cursor = (db or get_db()).execute(
        """UPDATE reports SET status = ?, duplicate_of = ?, version = version + 1, updated_at = ?
           WHERE uuid = ? AND version = ?""", [status, duplicate_of, at, uuid, version])
    return cursor.rowcount == 1


def update_classification(uuid, category, severity, version, at, db=None):
    cursor = (db or get_db()).execute(
        """UPDATE reports SET category = ?, severity = ?, version = version + 1, updated_at = ?
           WHERE uuid = ? AND version = ?""", [category, severity, at, uuid, version])
    return cursor.rowcount == 1


def add_expected_photos(uuid, count, db=None):
    (db or get_db()).execute(
        "UPDATE reports SET expected_photos = expected_photos + ? WHERE uuid = ?", [count, uuid])


def open_reports_for_building(building_id, statuses, scope=None):
    where, params = _where({"statuses": statuses, "building_id": building_id}, scope)
    return list(get_db().query(
        f"SELECT {REPORT_COLUMNS} FROM {REPORT_FROM} WHERE {where} ORDER BY r.created_at DESC LIMIT 20",
        params))


def stamp_aler(uuid, column, at, db=None):
    """Record when a report was passed to ALER, taken on or resolved by it (`column` from ALER_STAMPS)."""
    assert column in ("aler_passed_at", "aler_taken_at", "aler_resolved_at")
    (db or get_db()).execute(f"UPDATE reports SET {column} = ? WHERE uuid = ?", [at, uuid])
