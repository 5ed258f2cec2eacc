"""Retention (GDPR art. 5(1)(e)): each area's steps, run together under one configured policy.

The areas declare what they keep and for how long (`Area.retention`, fieldapp.lifecycle); the policy
is their defaults with the RETENTION setting over them. docs/privacy.md repeats the defaults and why.
"""
from datetime import timedelta

from flask import current_app

from fieldapp import clock
from fieldapp.area import installed
from fieldapp.audit import USER_TARGETS, audit
from fieldapp.lifecycle import RetentionStep


class PolicyError(ValueError):
    """The configured retention policy cannot be applied."""


def pseudonymise_audit(db, days, dry_run):
    """Blank old audit rows' personal fields through the sanctioned path (a grant row in this transaction).

    Audit rows are kept whole for two years (complaints, the Garante's inspections), then their personal
    fields (name hash, address, search terms) are blanked; the row itself is never deleted.
    """
    before = clock.iso(clock.utc_now() - timedelta(days=days))
    where = "at < ? AND pseudonymised_at IS NULL"
    count = db.execute(f"SELECT COUNT(*) FROM audit_log WHERE {where}", [before]).fetchone()[0]
    if not dry_run and count:
        stamp = clock.now()
        users = ",".join(f"'{a}'" for a in sorted(USER_TARGETS))
        db.execute("INSERT INTO audit_pseudonymising (granted_at) VALUES (?)", [stamp])
        try:
            db.execute(
                f"""UPDATE audit_log SET username = NULL, ip = NULL, pseudonymised_at = ?,
                      target = CASE WHEN action IN ({users}) THEN NULL ELSE target END,
                      detail = CASE WHEN action = 'household_list_read' THEN NULL ELSE detail END
                    WHERE {where}""", [stamp, before])
        finally:
            db.execute("DELETE FROM audit_pseudonymising")
    return [(f"audit rows pseudonymised (older than {days} days)", count)]


AUDIT_RETENTION = RetentionStep("audit_log", pseudonymise_audit, days=730)


def steps():
    return [step for area in installed(current_app) for step in area.retention]


def policy():
    """{kind: days} of every step with days: the defaults, RETENTION over them; PolicyError names what is wrong."""
    configured = current_app.config.get("RETENTION") or {}
    if not isinstance(configured, dict):
        raise PolicyError("RETENTION must be a mapping of record type to days")
    defaults = {step.kind: step.days for step in steps() if step.days is not None}
    unknown = set(configured) - set(defaults)
    if unknown:
        raise PolicyError(f"unknown record type(s) in RETENTION: {', '.join(sorted(unknown))}; "
                          f"known: {', '.join(defaults)}")
    merged = {**defaults, **configured}
    merged.update({step.kind: current_app.config[step.setting] for step in steps() if step.setting})
    for kind, days in merged.items():
        if isinstance(days, bool) or not isinstance(days, (int, float)) or days < 1:
            raise PolicyError(f"retention of {kind} must be a whole number of days of at least 1, not {days!r}")
    return {kind: int(days) for kind, days in merged.items()}


def run(db, rules, dry_run=True):
    """[(label, count)] of every step; applied in one transaction, and logged, unless dry_run."""
    if dry_run:
        return [line for step in steps() for line in step.run(db, rules.get(step.kind), True)]
    with db.atomic():
        lines = [line for step in steps() for line in step.run(db, rules.get(step.kind), False)]
        audit("retention_applied", detail={"counts": dict(lines), "policy": rules}, db=db)
    return lines
