"""Write an imported ledger: replace its periods, derive bands and flags, reconcile the plans."""
import json
from collections import defaultdict

from flask import current_app

from fieldapp.arrears import ledger, rules
from fieldapp.audit import audit, record_event
from fieldapp.clock import local_today
from fieldapp.db import get_db, now

CHANGES_SHOWN = 50


def settings():
    config = current_app.config
    return {
        "limits": config["ARREARS_BAND_LIMITS_CENTS"],
        "broken_after": config["ARREARS_PLAN_BROKEN_AFTER_MISSED"],
    }


def import_ledger(raw, filename=None, user_id=None):
    """Validate the whole file, then replace each of its periods in one transaction. Returns a summary."""
    db = get_db()
    households = {row["code"]: row["id"] for row in db.query("SELECT id, code FROM households")}
    rows = ledger.validate(ledger.read(raw), households, local_today().strftime("%Y-%m"))
    by_period = defaultdict(list)
    for row in rows:
        by_period[row["period"]].append(row)
    summaries = []
    with db.atomic():
        for period in sorted(by_period):
            summaries.append(_store_period(db, period, by_period[period], filename, user_id))
        sync_bands(db, min(by_period))
    return summaries


def sync_bands(db, since):
    """The ledger is now the one source of a household's band: the registry shows the latest month."""
    db.execute("""UPDATE households SET arrears_band = (
                      SELECT band FROM ledger_months l WHERE l.household_id = households.id
                      ORDER BY period DESC LIMIT 1)
                  WHERE id IN (SELECT household_id FROM ledger_months WHERE period >= ?)""", [since])


def _store_period(db, period, rows, filename, user_id):
    config = settings()
    # Plain tuples here: two reads of a whole month each, on the import's hot path.
    old = {h: {"balance": balance} for h, balance in db.execute(
        "SELECT household_id, balance FROM ledger_months WHERE period = ?", [period])}
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
    """What a re-import changes: households added, removed, and balances that moved."""
    new = {r["household_id"]: r for r in rows}
    moved = [(r["code"], old[h]["balance"], r["balance"]) for h, r in new.items()
             if h in old and old[h]["balance"] != r["balance"]]
    return {"added": len(new.keys() - old.keys()) if old else 0, "removed": len(old.keys() - new.keys()),
            "changed": len(moved), "examples": sorted(moved)[:CHANGES_SHOWN]}


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
