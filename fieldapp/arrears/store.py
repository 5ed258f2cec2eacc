"""Write an imported ledger: review it first, replace its periods, derive bands and flags, reconcile the plans.

Every file is reviewed before anything is written: its rows are checked one by one and against the
months already imported (a balance must follow from the one before, to the cent), then the import is
simulated and rolled back to see what it would change. A file that replaces a month, is not the next
expected month, or would make the caseload show a much smaller month asks for confirmation.
"""
import json
from collections import defaultdict

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from fieldapp.arrears import ledger, rules
from fieldapp.audit import audit, record_event
from fieldapp.clock import local_today
from fieldapp.db import get_db, now
from fieldapp.indicators import periods

CHANGES_SHOWN = 50
FIELDS = ("charged", "paid", "balance")


class NeedsConfirmation(Exception):
    """The file is sound, but importing it changes what the team sees: `report` says how."""

    def __init__(self, report):
        super().__init__("confirmation needed")
        self.report = report


class _Preview(Exception):
    """Raised inside the simulated import, to roll it back."""


def settings():
    config = current_app.config
    return {
        "limits": config["ARREARS_BAND_LIMITS_CENTS"],
        "broken_after": config["ARREARS_PLAN_BROKEN_AFTER_MISSED"],
    }


def checked_rows(db, raw):
    """The file's rows once every check passed (LedgerError otherwise), grouped by period."""
    households = {row["code"]: row["id"] for row in db.query("SELECT id, code FROM households")}
    rows = ledger.validate(ledger.read(raw), households, ledger_span()[1], ledger_span()[0])
    around = {rules.add_months(r["period"], step) for r in rows for step in (-1, 1)}
    marks = ", ".join("?" * len(around))
    stored = {(r["household_id"], r["period"]): r for r in db.query(
        f"SELECT household_id, period, charged, paid, credits, balance FROM ledger_months WHERE period IN ({marks})",
        sorted(around))}
    errors = ledger.continuity(rows, stored)
    if errors:
        raise ledger.LedgerError(errors)
    by_period = defaultdict(list)
    for row in rows:
        by_period[row["period"]].append(row)
    return dict(sorted(by_period.items()))


def _households(n):
    return lazy_ngettext("%(num)d household", "%(num)d households", n)


def review(db, by_period):
    """What importing would do: per month the changes, the plans whose status would change, and the
    reasons (if any) to ask the user first. Nothing is written."""
    latest = db.execute("SELECT MAX(period) FROM ledger_months").fetchone()[0]
    marks = ", ".join("?" * (len(by_period) + 1))
    counts = dict(db.execute(f"SELECT period, COUNT(*) FROM ledger_months WHERE period IN ({marks}) GROUP BY period",
                             [latest or "", *by_period]).fetchall())
    expected = rules.add_months(latest, 1) if latest else None
    reasons = []
    for period in by_period:
        if period in counts:
            reasons.append(_l("%(period)s is already imported: this file replaces it.", period=period))
        elif expected and period != expected:
            reasons.append(_l("%(period)s is not the next expected month (%(expected)s).", period=period,
                              expected=expected))
    newest = max(by_period)
    if latest and newest > latest:
        caseload = _l("The caseload would show %(new)s (%(n)s) instead of %(old)s (%(m)s).", new=newest,
                      n=_households(len(by_period[newest])), old=latest, m=_households(counts.get(latest, 0)))
        if len(by_period[newest]) * 2 < counts.get(latest, 0):
            reasons.append(_l("%(period)s has fewer than half the households of %(old)s.", period=newest, old=latest))
    elif latest:
        caseload = _l("The caseload month stays %(month)s%(changed)s.", month=latest,
                      changed=_l(", and this file changes it") if latest in by_period else "")
    else:
        caseload = _l("The caseload will show %(month)s.", month=newest)
    plans_before = _plan_statuses(db)
    try:
        with db.atomic():
            summaries = _write(db, by_period, None, None)
            plans = _plan_changes(plans_before, _plan_statuses(db))
            raise _Preview
    except _Preview:
        pass
    return {"periods": summaries, "plans": plans, "reasons": reasons, "caseload": caseload,
            "confirm": bool(reasons)}


def import_ledger(raw, filename=None, user_id=None, confirmed=False):
    """Check the whole file, review it, then replace each of its periods in one transaction.

    Raises LedgerError (nothing imported) or NeedsConfirmation (a sound file that needs `confirmed`).
    Returns the review: per month what changed, and the plans whose status changed.
    """
    db = get_db()
    by_period = checked_rows(db, raw)
    report = review(db, by_period)
    if report["confirm"] and not confirmed:
        raise NeedsConfirmation(report)
    plans_before = _plan_statuses(db)
    with db.atomic():
        report["periods"] = _write(db, by_period, filename, user_id)
        report["plans"] = _plan_changes(plans_before, _plan_statuses(db))
    return report


def _write(db, by_period, filename, user_id):
    summaries = [_store_period(db, period, rows, filename, user_id) for period, rows in by_period.items()]
    sync_bands(db, min(by_period))
    return summaries


def _plan_statuses(db):
    return {r[0]: (r[1], r[2]) for r in db.execute(
        "SELECT p.id, h.code, p.status FROM repayment_plans p JOIN households h ON h.id = p.household_id")}


def _plan_changes(before, after):
    return [{"plan": plan_id, "code": code, "before": before[plan_id][1], "after": status}
            for plan_id, (code, status) in sorted(after.items()) if plan_id in before and before[plan_id][1] != status]


def sync_bands(db, since):
    """The ledger is now the one source of a household's band: the registry shows the latest month."""
    db.execute("""UPDATE households SET arrears_band = (
                      SELECT band FROM ledger_months l WHERE l.household_id = households.id
                      ORDER BY period DESC LIMIT 1)
                  WHERE id IN (SELECT household_id FROM ledger_months WHERE period >= ?)""", [since])


def _store_period(db, period, rows, filename, user_id):
    config = settings()
    # Plain tuples here: two reads of a whole month each, on the import's hot path.
    old = {h: {"charged": charged, "paid": paid, "balance": balance} for h, charged, paid, balance in db.execute(
        "SELECT household_id, charged, paid, balance FROM ledger_months WHERE period = ?", [period])}
    first_import = not db.execute("SELECT 1 FROM ledger_months WHERE period < ? LIMIT 1", [period]).fetchone()
    previous = {h: {"band": band, "months_due": due} for h, band, due in db.execute(
        "SELECT household_id, band, months_due FROM ledger_months WHERE period = ?",
        [rules.add_months(period, -1)])}
    changes = _changes(old, rows)
    db.execute("DELETE FROM ledger_months WHERE period = ?", [period])
    db.execute("DELETE FROM arrears_flags WHERE period = ?", [period])
    import_id = db["ledger_imports"].insert({
        "period": period, "filename": filename, "rows": len(rows), "replaced": int(bool(old)),
        "changes": json.dumps(changes), "imported_at": now(), "imported_by": user_id,
    }).last_pk
    months, flags = [], []
    for row in rows:
        current = {"band": rules.band(row["balance"], config["limits"]),
                   "months_due": rules.months_due(row["balance"], row["charged"])}
        months.append((row["household_id"], period, row["charged"], row["paid"], row["credits"],
                       row["balance"], current["band"], current["months_due"], import_id))
        for flag in rules.flags(current, previous.get(row["household_id"]), first_import):
            flags.append((row["household_id"], period, flag))
    db.conn.executemany("INSERT INTO ledger_months VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", months)
    _reconcile_plans(db, period, flags, config)
    db.conn.executemany("INSERT OR IGNORE INTO arrears_flags VALUES (?, ?, ?)", flags)
    # A back-filled month flags its households when its ledger would have arrived, not today.
    stamp = min(now(), rules.add_months(period, 1) + "-01T08:00:00Z")
    db.conn.executemany(
        "INSERT OR IGNORE INTO arrears_cases (household_id, stage, flagged_at, updated_at) "
        "VALUES (?, 'flagged', ?, ?)",
        [(household_id, stamp, stamp) for household_id in {f[0] for f in flags}])
    audit("ledger_import", target=period, detail={"rows": len(rows), "replaced": bool(old), "file": filename,
                                                  "added": changes["added"], "changed": changes["changed"]},
          db=db)
    return {"period": period, "rows": len(rows), "flags": len(flags), "replaced": bool(old), **changes}


def _changes(old, rows):
    """What a re-import changes: households added, removed, and each one whose charged, paid or balance moved."""
    new = {r["household_id"]: r for r in rows}
    moved = []
    for household_id, row in new.items():
        before = old.get(household_id)
        if before and any(before[f] != row[f] for f in FIELDS):
            moved.append({"code": row["code"], **{f: [before[f], row[f]] for f in FIELDS}})
    moved.sort(key=lambda m: m["code"])
    return {"added": len(new.keys() - old.keys()) if old else 0, "removed": len(old.keys() - new.keys()),
            "changed": len(moved), "examples": moved[:CHANGES_SHOWN]}


def _reconcile_plans(db, period, flags, config):
    """Every signed plan that has started is checked against the months since its start."""
    plans = list(db.query(
        "SELECT * FROM repayment_plans WHERE status IN ('active', 'late', 'broken') AND start_period <= ?",
        [period]))
    for plan in plans:
        result = reconcile_plan(db, plan, config)
        if result["missed"] > plan["missed"]:
            flags.append((plan["household_id"], period, "instalment_missed"))


def reconcile_plan(db, plan, config):
    """Recompute one plan from the ledger and store the outcome (and any status change)."""
    months = [(r["period"], r["charged"], r["paid"]) for r in db.query(
        "SELECT period, charged, paid FROM ledger_months WHERE household_id = ? AND period >= ? ORDER BY period",
        [plan["household_id"], plan["start_period"]])]
    schedule = [(r["number"], r["due_on"], r["amount"]) for r in db.query(
        "SELECT number, due_on, amount FROM plan_instalments WHERE plan_id = ? ORDER BY number", [plan["id"]])]
    result = rules.reconcile(schedule, plan["down_payment"], months, plan["grace_days"],
                             config["broken_after"], was_broken=plan["status"] == "broken")
    db.execute("UPDATE repayment_plans SET status = ?, covered = ?, missed = ?, reconciled_period = ? WHERE id = ?",
               [result["status"], result["covered"], result["missed"], months[-1][0] if months else None,
                plan["id"]])
    if result["status"] != plan["status"]:
        record_event("repayment_plan", plan["id"], plan["status"], result["status"],
                     note="ledger " + (months[-1][0] if months else ""), db=db)
    return result


def ledger_span():
    """(earliest, latest) month a ledger may hold: the project's span with a year on each side, not past today."""
    start, end = periods.project_start(), periods.project_end()
    latest = min(local_today(), end.replace(year=end.year + 1))
    return f"{start.year - 1:04d}-{start.month:02d}", latest.strftime("%Y-%m")
