"""Retention (GDPR art. 5(1)(e)): how long each record type is kept, and statutory holds that outlast it."""
import json
from datetime import date, timedelta

from flask import current_app

from fieldapp import clock
from fieldapp.core.queries import USER_TARGETS, audit

# Record type -> days after which its personal content goes, and why (README "Privacy" repeats this).
DEFAULT_POLICY = {
    # A visit's sensitive fields (who was there, frailty, referrals, arrears, note) are case notes:
    # kept for the programme's span of follow-up, then blanked; kind, date and counts stay for figures.
    "visits": 1825,
    # Audit rows are kept whole for two years (complaints, the Garante's inspections), then their
    # personal fields (name hash, address, search terms) are blanked; the row itself is never deleted.
    "audit_log": 730,
    # Expired sessions and remember-me tokens: long enough to answer "was I signed in there?".
    "sessions": 90,
}
# Tables that back paid amounts or reported figures, and the column holding each row's payment
# date (first one present). Absent tables are skipped: their areas may not be installed.
STATUTORY_TABLES = {
    "ledger": ("paid_on", "paid_at", "booked_on", "created_at"),
    "ledger_months": ("period",),  # the arrears area's monthly rent ledger (YYYY-MM)
    "contributions": ("paid_on", "paid_at", "credited_at", "updated_at", "created_at"),
    "heating_contributions": ("credited_at", "paid_on", "paid_at", "updated_at", "created_at"),
}
# Reg. (EU) 2021/1060 art. 82: 5 years from 31 December of the year of the last payment.
STATUTORY_YEARS = 5


class PolicyError(ValueError):
    """The configured retention policy cannot be applied."""


def policy():
    """The configured policy merged over the defaults; PolicyError names what is wrong."""
    configured = current_app.config.get("RETENTION") or {}
    if not isinstance(configured, dict):
        raise PolicyError("RETENTION must be a mapping of record type to days")
    unknown = set(configured) - set(DEFAULT_POLICY)
    if unknown:
        raise PolicyError(f"unknown record type(s) in RETENTION: {', '.join(sorted(unknown))}; "
                          f"known: {', '.join(DEFAULT_POLICY)}")
    merged = {**DEFAULT_POLICY, **configured, "login_attempts": current_app.config["LOGIN_ATTEMPTS_KEEP_DAYS"]}
    for kind, days in merged.items():
        if isinstance(days, bool) or not isinstance(days, (int, float)) or days < 1:
            raise PolicyError(f"retention of {kind} must be a whole number of days of at least 1, not {days!r}")
    return {kind: int(days) for kind, days in merged.items()}


def table_exists(db, name):
    return bool(db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone())


def columns(db, name):
    return [row[1] for row in db.execute(f"PRAGMA table_info({name})")]


def statutory_holds(db, household):
    """(table, rows, kept until) for each statutory table holding rows of this household."""
    holds = []
    for table, date_columns in STATUTORY_TABLES.items():
        if not table_exists(db, table):
            continue
        cols = columns(db, table)
        key = "household_code" if "household_code" in cols else "household_id" if "household_id" in cols else None
        if key is None:
            continue
        value = household["code"] if key == "household_code" else household["id"]
        found = [c for c in date_columns if c in cols]
        row = db.execute(f"SELECT COUNT(*), {f'MAX({found[0]})' if found else 'NULL'} FROM {table} WHERE {key} = ?",
                         [value]).fetchone()
        if row[0]:
            # Without a readable payment date the year is this one: the safe side.
            year = int(row[1][:4]) if row[1] else clock.local_today().year
            holds.append((table, row[0], date(year + STATUTORY_YEARS, 12, 31)))
    return [h for h in holds if h[2] >= clock.local_today()]


def locked_until(db, day):
    """The end of the statutory hold on records dated `day` inside a locked reporting period, or None."""
    if not table_exists(db, "locked_periods"):
        return None
    cols = columns(db, "locked_periods")
    if not {"starts_on", "ends_on"} <= set(cols):
        return None
    row = db.execute("SELECT MAX(ends_on) FROM locked_periods WHERE starts_on <= ? AND ends_on >= ?",
                     [day[:10], day[:10]]).fetchone()
    if not row[0]:
        return None
    until = date(int(row[0][:4]) + STATUTORY_YEARS, 12, 31)
    return until if until >= clock.local_today() else None


VISIT_PERSONAL = ("note IS NOT NULL OR present != '[]' OR frailty != '[]' OR referrals != '[]' "
                  "OR arrears_trend IS NOT NULL OR repayment_plan IS NOT NULL")
VISIT_BLANK = ("present = '[]', frailty = '[]', referrals = '[]', arrears_trend = NULL, "
               "repayment_plan = NULL, note = NULL, version = version + 1")


def anonymise_visits(db, where, params):
    """Blank the personal fields of the matching visits and the text of their closed follow-ups."""
    uuids = [r[0] for r in db.execute(f"SELECT uuid FROM visits WHERE ({where}) AND ({VISIT_PERSONAL})", params)]
    for uuid in uuids:
        db.execute(f"UPDATE visits SET {VISIT_BLANK} WHERE uuid = ?", [uuid])
        db.execute("UPDATE followups SET action = '-' WHERE visit_uuid = ? AND status != 'open'", [uuid])
    return len(uuids)


def _cutoff(days):
    return clock.utc_now() - timedelta(days=days)


def candidates(db, rules):
    """What applying would change, per record type: {type: (count, where, params)}."""
    found = {}
    visits_before = clock.iso(_cutoff(rules["visits"]))[:16].replace("Z", "")
    held = [r[0] for r in db.execute(f"SELECT uuid, visited_at FROM visits WHERE visited_at < ? AND ({VISIT_PERSONAL})",
                                     [visits_before]).fetchall() if locked_until(db, r[1])]
    where = "visited_at < ? AND uuid NOT IN (SELECT value FROM json_each(?))"
    params = [visits_before, json.dumps(held)]
    found["visits"] = (db.execute(f"SELECT COUNT(*) FROM visits WHERE ({where}) AND ({VISIT_PERSONAL})",
                                  params).fetchone()[0], where, params)
    audit_before = clock.iso(_cutoff(rules["audit_log"]))
    found["audit_log"] = (db.execute("SELECT COUNT(*) FROM audit_log WHERE at < ? AND pseudonymised_at IS NULL",
                                     [audit_before]).fetchone()[0], "at < ?", [audit_before])
    sessions_before = clock.iso(_cutoff(rules["sessions"]))
    found["sessions"] = (
        db.execute("SELECT COUNT(*) FROM sessions WHERE expires_at < ?", [sessions_before]).fetchone()[0]
        + db.execute("SELECT COUNT(*) FROM remember_tokens WHERE expires_at < ?", [sessions_before]).fetchone()[0],
        "expires_at < ?", [sessions_before])
    attempts_before = clock.iso(_cutoff(rules["login_attempts"]))
    found["login_attempts"] = (db.execute("SELECT COUNT(*) FROM login_attempts WHERE at < ?",
                                          [attempts_before]).fetchone()[0], "at < ?", [attempts_before])
    found["held_visits"] = (len(held), None, None)
    return found


def pseudonymise_audit(db, where, params):
    """Blank old audit rows' personal fields through the sanctioned path (a grant row in this transaction)."""
    stamp = clock.now()
    users = ",".join(f"'{a}'" for a in sorted(USER_TARGETS))
    db.execute("INSERT INTO audit_pseudonymising (granted_at) VALUES (?)", [stamp])
    try:
        changed = db.execute(
            f"""UPDATE audit_log SET username = NULL, ip = NULL, pseudonymised_at = ?,
                  target = CASE WHEN action IN ({users}) THEN NULL ELSE target END,
                  detail = CASE WHEN action = 'household_list_read' THEN NULL ELSE detail END
                WHERE ({where}) AND pseudonymised_at IS NULL""", [stamp, *params]).rowcount
    finally:
        db.execute("DELETE FROM audit_pseudonymising")
    return changed


def apply(db, rules):
    """Apply the policy in one transaction; returns the counts per type, and logs them."""
    with db.atomic():
        found = candidates(db, rules)
        counts = {kind: found[kind][0] for kind in found}
        anonymise_visits(db, found["visits"][1], found["visits"][2])
        db.execute("DELETE FROM sessions WHERE expires_at < ?", found["sessions"][2])
        db.execute("DELETE FROM remember_tokens WHERE expires_at < ?", found["sessions"][2])
        db.execute("DELETE FROM login_attempts WHERE at < ?", found["login_attempts"][2])
        pseudonymise_audit(db, *found["audit_log"][1:])
        audit("retention_applied", detail={"counts": counts, "policy": rules}, db=db)
    return counts
