"""SQL of the public area: API keys, rate-limit counters, and reports as the public may see them."""
from fieldapp.db import get_db
from fieldapp.where import Where

# What any member of the public may read about a report: never its author, contact, notes or photos.
PUBLIC_COLUMNS = """r.uuid, r.category, r.area, r.status, r.source, r.description, r.created_at,
    COALESCE(r.updated_at, r.created_at) AS updated_at, r.public_token, r.aler_passed_at,
    b.code AS building_code, b.address, b.lat, b.lon"""
PUBLIC_FROM = "reports r JOIN buildings b ON b.id = r.building_id"


# --- API keys ---------------------------------------------------------------------------

def insert_api_key(row, db=None):
    return (db or get_db())["api_keys"].insert(row).last_pk


def api_keys():
    """Every key, newest first, with the name of the admin who issued it."""
    return list(get_db().query(
        """SELECT k.id, k.name, k.prefix, k.created_at, k.revoked_at, k.last_used_at, u.display_name AS issued_by
           FROM api_keys k LEFT JOIN users u ON u.id = k.created_by ORDER BY k.created_at DESC, k.id DESC"""))


def api_key(key_id):
    return next(get_db().query("SELECT * FROM api_keys WHERE id = ?", [key_id]), None)


def api_key_by_hash(key_sha256):
    return next(get_db().query("SELECT * FROM api_keys WHERE key_sha256 = ?", [key_sha256]), None)


def revoke_api_key(key_id, at):
    return get_db().execute("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                            [at, key_id]).rowcount


def touch_api_key(key_id, at, db=None):
    (db or get_db()).execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", [at, key_id])


# --- rate limit ---------------------------------------------------------------------------

def count_hits(kind, address, since):
    return get_db().execute("SELECT COUNT(*) FROM public_hits WHERE kind = ? AND address = ? AND at >= ?",
                            [kind, address, since]).fetchone()[0]


def add_hit(kind, address, at, prune_before):
    db = get_db()
    with db.atomic():
        db.execute("DELETE FROM public_hits WHERE kind = ? AND at < ?", [kind, prune_before])
        db.execute("INSERT INTO public_hits (kind, address, at) VALUES (?, ?, ?)", [kind, address, at])


# --- reports, as the public sees them -----------------------------------------------------

def report_by_token(token):
    return next(get_db().query(f"SELECT {PUBLIC_COLUMNS} FROM {PUBLIC_FROM} WHERE r.public_token = ?",
                               [token]), None)


def stop_updates(token):
    """The reporter wants no more e-mails about this report (their address stays, for the operator)."""
    db = get_db()
    with db.atomic():
        db.execute("UPDATE reports SET reporter_updates = 0 WHERE public_token = ?", [token])


def public_report(uuid):
    return next(get_db().query(f"SELECT {PUBLIC_COLUMNS} FROM {PUBLIC_FROM} WHERE r.uuid = ?", [uuid]), None)


def public_reports(ids=None, categories=None, statuses=None, since=None, until=None, limit=1000):
    """Reports for Open311 GET requests: by ids (which override the rest), or by the other filters."""
    where = Where()
    if ids is not None:
        where.add(f"r.uuid IN ({', '.join('?' * len(ids))})", *ids)
    else:
        where.any_of("r.category", categories).any_of("r.status", statuses)
        where.when(since, "r.created_at >= ?").when(until, "r.created_at <= ?")
    return list(get_db().query(
        f"SELECT {PUBLIC_COLUMNS} FROM {PUBLIC_FROM} {where.clause()} ORDER BY r.created_at DESC, r.uuid LIMIT ?",
        [*where.params, limit]))


def insert_report(row, db):
    db["reports"].insert(row)
