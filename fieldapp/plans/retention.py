"""Retention of plans: once closed for longer than the retention period, a plan keeps only its figures.

What stays: the person's code and decade of birth, the plan's dates, domains, scores and session
dates, durations and kinds (the indicators). What goes: every free text, the protocol number and the
link to the household. A `retention apply` command calls `anonymise_expired`; its default period is
`PLAN_RETENTION_DAYS` (five years; CORTILE_PLAN_RETENTION_DAYS overrides it).
"""
from datetime import timedelta

from flask import current_app

from fieldapp.audit import audit
from fieldapp.clock import local_today
from fieldapp.db import get_db, now
from fieldapp.lifecycle import ErasureStep, RetentionStep

DEFAULT_DAYS = 5 * 365


def retention_days():
    return int(current_app.config.get("PLAN_RETENTION_DAYS", DEFAULT_DAYS))


def expired(today, db=None):
    """Ids of the closed plans past their retention, not yet anonymised."""
    cutoff = (today - timedelta(days=retention_days())).isoformat()
    return [row["id"] for row in (db or get_db()).query(
        "SELECT id FROM plans WHERE status = 'closed' AND closed_on < ? AND anonymised_at IS NULL ORDER BY id",
        [cutoff])]


def anonymise_expired(today, db=None, dry_run=False):
    """Empty the free texts of expired plans in one transaction; returns the plan ids concerned."""
    db = db or get_db()
    plan_ids = expired(today, db)
    if dry_run or not plan_ids:
        return plan_ids
    with db.atomic():
        anonymise(db, plan_ids)
        # The household link goes with a person who has no other plan left to follow.
        marks = ",".join("?" * len(plan_ids))
        db.execute(f"""UPDATE plan_persons SET household_id = NULL WHERE id IN
                       (SELECT person_id FROM plans WHERE id IN ({marks}))
                       AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.person_id = plan_persons.id
                                       AND p.anonymised_at IS NULL)""", plan_ids)
        audit("plans_anonymised", detail={"plans": plan_ids}, db=db)
    return plan_ids


def anonymise(db, plan_ids):
    """Empty the plans' free texts and protocol numbers (inside the caller's transaction)."""
    marks = ",".join("?" * len(plan_ids))
    db.execute(f"""UPDATE plans SET objectives = '', expected_results = '', supports = '', commitments = '',
                   protocol = '-', anonymised_at = ?, version = version + 1 WHERE id IN ({marks})""",
               [now(), *plan_ids])
    db.execute(f"UPDATE plan_goals SET text = '-', baseline = '', target = '' WHERE plan_id IN ({marks})", plan_ids)
    db.execute(f"UPDATE plan_sessions SET note = NULL WHERE plan_id IN ({marks})", plan_ids)
    db.execute(f"UPDATE plan_reviews SET note = NULL WHERE plan_id IN ({marks})", plan_ids)


def erase_household(db, household_id):
    """A household's erasure (GDPR art. 17, fieldapp.privacy): its people's plans keep only their figures,
    as retention leaves them, open or closed, and the people lose the link to the household.
    Inside the caller's transaction; returns (plans anonymised, people unlinked)."""
    people = [r["id"] for r in db.query("SELECT id FROM plan_persons WHERE household_id = ?", [household_id])]
    if not people:
        return 0, 0
    marks = ",".join("?" * len(people))
    plan_ids = [r["id"] for r in db.query(f"SELECT id FROM plans WHERE person_id IN ({marks})", people)]
    if plan_ids:
        anonymise(db, plan_ids)
    db.execute(f"UPDATE plan_persons SET household_id = NULL WHERE id IN ({marks})", people)
    return len(plan_ids), len(people)


def retain(db, _days, dry_run):
    """The retention step of plans: closed plans past PLAN_RETENTION_DAYS keep only their figures."""
    plans = anonymise_expired(local_today(), db, dry_run=dry_run)
    return [(f"closed plans anonymised (closed over {retention_days()} days ago)", len(plans))]


def erase(db, household, _held):
    """The erasure step of plans: not statutory, their texts go even while money records are held."""
    plans, people = erase_household(db, household["id"])
    if not people:
        return [], []
    return [f"educational plans anonymised: {plans} (dates, domains, scores and sessions kept), "
            f"people in plans unlinked from the household: {people}"], []


RETENTION = RetentionStep("plans", retain)
ERASURE = ErasureStep(("plan_persons",), erase)
