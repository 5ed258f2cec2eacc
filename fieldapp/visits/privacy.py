"""Visits and personal data: old case notes are blanked (retention), a household's are on erasure.

A visit's sensitive fields (who was there, frailty, referrals, arrears, note) are case notes: kept for
the programme's span of follow-up, then blanked; kind, date and counts stay for the figures. A visit
inside a locked reporting period stays as it was until the period's own statutory hold ends.
"""
import json
from datetime import timedelta

from fieldapp import clock
from fieldapp.lifecycle import ErasureStep, RetentionStep, locked_until

PERSONAL = ("note IS NOT NULL OR present != '[]' OR frailty != '[]' OR referrals != '[]' "
            "OR arrears_trend IS NOT NULL OR repayment_plan IS NOT NULL")
BLANK = ("present = '[]', frailty = '[]', referrals = '[]', arrears_trend = NULL, "
         "repayment_plan = NULL, note = NULL, version = version + 1")


def retain(db, days, dry_run):
    """Blank the personal fields of visits older than `days`, outside locked periods."""
    before = clock.iso(clock.utc_now() - timedelta(days=days))[:16].replace("Z", "")
    old = db.execute(f"SELECT uuid, visited_at FROM visits WHERE visited_at < ? AND ({PERSONAL})", [before])
    held = [uuid for uuid, visited_at in old.fetchall() if locked_until(db, visited_at)]
    where = f"visited_at < ? AND uuid NOT IN (SELECT value FROM json_each(?)) AND ({PERSONAL})"
    uuids = [r[0] for r in db.execute(f"SELECT uuid FROM visits WHERE {where}", [before, json.dumps(held)])]
    if not dry_run:
        for uuid in uuids:
            db.execute(f"UPDATE visits SET {BLANK} WHERE uuid = ?", [uuid])
            db.execute("UPDATE followups SET action = '-' WHERE visit_uuid = ? AND status != 'open'", [uuid])
    return [(f"visits anonymised (older than {days} days)", len(uuids)),
            ("visits kept (inside a locked reporting period)", len(held))]


def erase(db, household, held):
    """Blank the household's visits and follow-ups; those inside a locked period stay."""
    visits = list(db.query("SELECT uuid, visited_at FROM visits WHERE household_id = ?", [household["id"]]))
    locked = [v["uuid"] for v in visits if locked_until(db, v["visited_at"])]
    free = [v["uuid"] for v in visits if v["uuid"] not in locked]
    for uuid in free:
        db.execute(f"UPDATE visits SET {BLANK} WHERE uuid = ?", [uuid])
        db.execute("UPDATE followups SET action = '-', status = CASE status WHEN 'open' THEN 'cancelled' "
                   "ELSE status END WHERE visit_uuid = ?", [uuid])
        db.execute("UPDATE events SET note = NULL WHERE entity_id IN "
                   "(SELECT uuid FROM followups WHERE visit_uuid = ?)", [uuid])
    done = [f"visits anonymised: {len(free)} (date, kind and head count kept for the programme's figures)"]
    kept = [f"visits kept unchanged: {len(locked)} (inside a locked reporting period)"] if locked else []
    return done, kept


RETENTION = RetentionStep("visits", retain, days=1825)
ERASURE = ErasureStep(("visits", "followups"), erase)
