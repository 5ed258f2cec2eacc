"""Access samples of the public area: /segnala, Open311 and the admin's API keys (see test_access.py)."""
import hashlib

from fieldapp.db import now


def token(db):
    """The follow-up token of a resident report, made on the first call."""
    row = next(db.query("SELECT public_token FROM reports WHERE public_token IS NOT NULL LIMIT 1"), None)
    if row:
        return row["public_token"]
    report = next(db.query("SELECT uuid FROM reports ORDER BY created_at LIMIT 1"))
    db.execute("UPDATE reports SET public_token = 'sample-follow-up-token-0001' WHERE uuid = ?", [report["uuid"]])
    db.conn.commit()
    return "sample-follow-up-token-0001"


def report(db):
    return next(db.query("SELECT uuid FROM reports ORDER BY created_at LIMIT 1"))["uuid"]


def key_id(db):
    row = next(db.query("SELECT id FROM api_keys LIMIT 1"), None)
    if row:
        return row["id"]
    return db["api_keys"].insert({"name": "Sample app", "prefix": "c311_sampl",
                                  "key_sha256": hashlib.sha256(b"c311_sample").hexdigest(),
                                  "created_at": now()}).last_pk


SAMPLES = {
    "public.report_new": ("GET", lambda db: "/segnala", None),
    "public.report_status": ("GET", lambda db: f"/segnala/{token(db)}", None),
    "public.api_keys": ("GET", lambda db: "/admin/api-keys", None),
    "public.api_key_revoke": ("POST", lambda db: f"/admin/api-keys/{key_id(db)}/revoke", None),
    "public.services": ("GET", lambda db: "/open311/v2/services.json", None),
    "public.requests_list": ("GET", lambda db: "/open311/v2/requests.json", None),
    "public.request_detail": ("GET", lambda db: f"/open311/v2/requests/{report(db)}.json", None),
    "public.request_new": ("POST", lambda db: "/open311/v2/requests.json", None),
    "public.discovery": ("GET", lambda db: "/open311/discovery.json", None),
    "public.service_definition": ("GET", lambda db: "/open311/v2/services/waste.json", None),
}
