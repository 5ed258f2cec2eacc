"""SQL of the shared tables: the audit log and state-change events."""
import json

from flask import has_request_context, request
from flask_login import current_user

from fieldapp.db import get_db, now


def audit(action, target=None, detail=None, user=None, db=None):
    """Append an audit-log row: logins, exports, reads of sensitive records, admin actions."""
    user = user or (current_user if has_request_context() else None)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    (db or get_db())["audit_log"].insert({
        "at": now(),
        "user_id": user.id if signed_in else None,
        "username": user.username if signed_in else None,
        "action": action,
        "target": target,
        "detail": json.dumps(detail) if isinstance(detail, (dict, list)) else detail,
        "ip": request.remote_addr if has_request_context() else None,
    })


def record_event(entity, entity_id, from_status, to_status, note=None, user_id=None, db=None):
    """Append a state change (who, when, from, to, note) to an entity's history."""
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    (db or get_db())["events"].insert({
        "entity": entity,
        "entity_id": str(entity_id),
        "at": now(),
        "user_id": user_id,
        "from_status": from_status,
        "to_status": to_status,
        "note": note,
    })


def history(entity, entity_id):
    """An entity's state changes, oldest first, with who made them."""
    return list(get_db().query(
        """SELECT e.*, u.username, u.display_name FROM events e
           LEFT JOIN users u ON u.id = e.user_id
           WHERE e.entity = ? AND e.entity_id = ? ORDER BY e.at, e.id""",
        [entity, str(entity_id)],
    ))


def recent_audit(limit=100, offset=0, action=None):
    where, params = ("WHERE action = ?", [action]) if action else ("", [])
    return list(get_db().query(
        f"SELECT * FROM audit_log {where} ORDER BY id DESC LIMIT ? OFFSET ?", [*params, limit, offset]
    ))


def database_ok():
    try:
        get_db().execute("SELECT 1").fetchone()
        return True
    except Exception:  # noqa: BLE001 - health must answer, whatever the failure
        return False
