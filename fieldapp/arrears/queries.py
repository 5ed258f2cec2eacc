"""SQL of the arrears team: the caseload, a case and its contacts, checks, plans and conferences."""
import json
import secrets
from datetime import timedelta

from fieldapp.arrears import rules
from fieldapp.arrears.vocab import STAGES
from fieldapp.audit import record_event
from fieldapp.clock import ISO, utc_now
from fieldapp.db import get_db, now
from fieldapp.where import Where

HOUSEHOLD = """households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id
    LEFT JOIN presidi p ON p.code = b.presidio_code LEFT JOIN users t ON t.id = h.tutor_id"""
# Every contact date of a case: the team's contacts and the tutors' visits that dealt with arrears.
CONTACT_DATES = """(SELECT household_id, contacted_on FROM arrears_contacts UNION ALL
    SELECT household_id, substr(visited_at, 1, 10) FROM visits
    WHERE kind = 'financial' OR arrears_trend IS NOT NULL OR repayment_plan IS NOT NULL)"""
SORTS = {
    "code": "h.code", "balance": "l.balance DESC", "months": "l.months_due DESC",
    "contact": "lc.last_contact IS NOT NULL, lc.last_contact", "stage": "c.stage", "presidio": "b.presidio_code",
}


def latest_period(db=None):
    return (db or get_db()).execute("SELECT MAX(period) FROM ledger_months").fetchone()[0]


def periods(limit=24):
    return [r["period"] for r in get_db().query(
        "SELECT DISTINCT period FROM ledger_months ORDER BY period DESC LIMIT ?", [limit])]


def household(household_id):
    return next(get_db().query(
        f"""SELECT h.*, b.presidio_code, b.address, u.scala, u.interno, p.name AS presidio_name,
                   t.display_name AS tutor_name FROM {HOUSEHOLD} WHERE h.id = ?""", [household_id]), None)


def caseload(period, flag=None, band=None, stage=None, presidio=None, q=None, sort="balance",
             limit=25, offset=0):
    """Flagged and followed households, with the period's ledger line; limit+1 rows."""
    where = Where("(c.household_id IS NOT NULL OR f.flags IS NOT NULL)").like(flag, "f.flags LIKE ?")
    where.when(band, "l.band = ?").when(stage, "c.stage = ?").when(presidio, "b.presidio_code = ?")
    where.like(q, "h.code LIKE ?")
    order = SORTS.get(sort, SORTS["balance"])
    return list(get_db().query(
        _caseload_sql(where, order),
        [period, rules.add_months(period, -2) if period else None, *where.params, limit + 1, offset]))


def _caseload_sql(where, order):
    return f"""SELECT h.id, h.code, b.presidio_code, l.balance, l.band, l.months_due, old.balance AS old_balance,
                   f.flags, c.stage, c.cause, o.display_name AS owner_name, lc.last_contact,
                   pl.status AS plan_status
            FROM {HOUSEHOLD}
            LEFT JOIN ledger_months l ON l.household_id = h.id AND l.period = ?1
            LEFT JOIN ledger_months old ON old.household_id = h.id AND old.period = ?2
            LEFT JOIN (SELECT household_id, group_concat(flag) AS flags FROM arrears_flags
                       WHERE period = ?1 GROUP BY household_id) f ON f.household_id = h.id
            LEFT JOIN arrears_cases c ON c.household_id = h.id
            LEFT JOIN users o ON o.id = c.owner_id
            LEFT JOIN (SELECT household_id, MAX(contacted_on) AS last_contact FROM {CONTACT_DATES}
                       GROUP BY household_id) lc ON lc.household_id = h.id
            LEFT JOIN (SELECT household_id, status FROM repayment_plans
                       WHERE id IN (SELECT MAX(id) FROM repayment_plans GROUP BY household_id)) pl
                   ON pl.household_id = h.id
            WHERE {where}
            ORDER BY {order}, h.code LIMIT ? OFFSET ?"""


def ledger_lines(household_id, limit=24):
    return list(get_db().query(
        "SELECT * FROM ledger_months WHERE household_id = ? ORDER BY period DESC LIMIT ?", [household_id, limit]))


def household_flags(household_id):
    return list(get_db().query(
        "SELECT period, flag FROM arrears_flags WHERE household_id = ? ORDER BY period DESC, flag", [household_id]))


def trend_of(household_id, tolerance, db=None):
    balances = [r["balance"] for r in (db or get_db()).query(
        "SELECT balance FROM ledger_months WHERE household_id = ? ORDER BY period DESC LIMIT 3", [household_id])]
    return rules.trend(list(reversed(balances)), tolerance)


def case(household_id):
    return next(get_db().query(
        "SELECT c.*, o.display_name AS owner_name FROM arrears_cases c LEFT JOIN users o ON o.id = c.owner_id "
        "WHERE c.household_id = ?", [household_id]), None)


def ensure_case(db, household_id, user_id):
    stamp = now()
    db.execute("INSERT OR IGNORE INTO arrears_cases (household_id, stage, owner_id, flagged_at, updated_at) "
               "VALUES (?, 'flagged', ?, ?, ?)", [household_id, user_id, stamp, stamp])
    db.execute("UPDATE arrears_cases SET owner_id = COALESCE(owner_id, ?) WHERE household_id = ?",
               [user_id, household_id])


def set_stage(db, household_id, stage, user_id, note=None, only_forward=False):
    """Move a case on the ladder, with its history; `only_forward` never moves it back."""
    current = db.execute("SELECT stage FROM arrears_cases WHERE household_id = ?", [household_id]).fetchone()[0]
    order = list(STAGES)
    if current == stage or (only_forward and order.index(stage) <= order.index(current)):
        return
    db.execute("UPDATE arrears_cases SET stage = ?, updated_at = ?, version = version + 1 WHERE household_id = ?",
               [stage, now(), household_id])
    record_event("arrears_case", household_id, current, stage, note=note, user_id=user_id, db=db)


def set_cause(household_id, cause, user_id):
    db = get_db()
    with db.atomic():
        ensure_case(db, household_id, user_id)
        db.execute("UPDATE arrears_cases SET cause = ?, updated_at = ? WHERE household_id = ?",
                   [cause, now(), household_id])


def add_contact(household_id, content, user_id, visit_uuid=None):
    content = dict(content)
    cause = content.pop("cause", None)
    db = get_db()
    with db.atomic():
        ensure_case(db, household_id, user_id)
        db["arrears_contacts"].insert({"household_id": household_id, **content, "visit_uuid": visit_uuid,
                                       "created_at": now(), "created_by": user_id})
        if content["outcome"] not in ("no_answer", "wrong_contact"):
            set_stage(db, household_id, "contacted", user_id, only_forward=True)
        if cause:
            db.execute("UPDATE arrears_cases SET cause = ? WHERE household_id = ?", [cause, household_id])


# A tutor's visit outcome as a contact outcome: the visit's arrears part counts as a contact on the case.
VISIT_OUTCOMES = {"held": "reached", "partial": "reached", "not_home": "no_answer", "refused": "refused",
                  "postponed": "appointment"}


def contacts(household_id):
    """The team's contacts, and the tutors' visits that dealt with arrears (their notes never cross)."""
    db = get_db()
    rows = list(db.query(
        "SELECT c.*, u.display_name AS author_name FROM arrears_contacts c LEFT JOIN users u ON u.id = c.created_by "
        "WHERE household_id = ? ORDER BY contacted_on DESC, id DESC", [household_id]))
    visits = db.query(
        """SELECT v.uuid, substr(v.visited_at, 1, 10) AS contacted_on, v.outcome, u.display_name AS author_name
           FROM visits v LEFT JOIN users u ON u.id = v.created_by WHERE v.household_id = ?
           AND (v.kind = 'financial' OR v.arrears_trend IS NOT NULL OR v.repayment_plan IS NOT NULL)""",
        [household_id])
    rows += [{"contacted_on": v["contacted_on"], "channel": "visit", "note": None, "visit_uuid": v["uuid"],
              "outcome": VISIT_OUTCOMES.get(v["outcome"], "reached"), "author_name": v["author_name"]}
             for v in visits]
    return sorted(rows, key=lambda r: r["contacted_on"], reverse=True)


def add_check(household_id, isee, months_assigned, result, user_id):
    db = get_db()
    with db.atomic():
        ensure_case(db, household_id, user_id)
        db["entitlement_checks"].insert({
            "household_id": household_id, "isee": isee, "months_assigned": months_assigned,
            "eligible": int(result["eligible"]), "inputs": json.dumps(result), "rule_version": result["rule_version"],
            "checked_at": now(), "checked_by": user_id})
        set_stage(db, household_id, "entitlements", user_id, only_forward=True)


def checks(household_id):
    return [{**r, "inputs": json.loads(r["inputs"])} for r in get_db().query(
        "SELECT * FROM entitlement_checks WHERE household_id = ? ORDER BY id DESC", [household_id])]


def create_plan(household_id, plan, schedule, why, user_id):
    db = get_db()
    with db.atomic():
        ensure_case(db, household_id, user_id)
        plan_id = db["repayment_plans"].insert({
            "household_id": household_id, **plan, "status": "proposed", "inputs": json.dumps(why),
            "rule_version": rules.PLAN_RULE, "created_at": now(), "created_by": user_id}).last_pk
        db["plan_instalments"].insert_all(
            [{"plan_id": plan_id, "number": n, "due_on": due, "amount": amount} for n, due, amount in schedule])
        record_event("repayment_plan", plan_id, None, "proposed", user_id=user_id, db=db)
    return plan_id


def plan(plan_id):
    row = next(get_db().query("SELECT * FROM repayment_plans WHERE id = ?", [plan_id]), None)
    return row and {**row, "inputs": json.loads(row["inputs"])}


def plans(household_id):
    return [{**r, "inputs": json.loads(r["inputs"])} for r in get_db().query(
        "SELECT * FROM repayment_plans WHERE household_id = ? ORDER BY id DESC", [household_id])]


def instalments(plan_id):
    return list(get_db().query("SELECT * FROM plan_instalments WHERE plan_id = ? ORDER BY number", [plan_id]))


def next_due(plan_row):
    row = get_db().execute("SELECT due_on FROM plan_instalments WHERE plan_id = ? AND number > ? ORDER BY number "
                           "LIMIT 1", [plan_row["id"], plan_row["covered"]]).fetchone()
    return row[0] if row else None


def activate_plan(plan_row, user_id, config):
    """The household signed: the plan counts from now on, reconciled at once on the months already in."""
    from fieldapp.arrears.store import reconcile_plan

    db = get_db()
    with db.atomic():
        db.execute("UPDATE repayment_plans SET status = 'active' WHERE id = ? AND status = 'proposed'",
                   [plan_row["id"]])
        record_event("repayment_plan", plan_row["id"], "proposed", "active", user_id=user_id, db=db)
        set_stage(db, plan_row["household_id"], "plan", user_id, only_forward=True)
        reconcile_plan(db, {**plan_row, "status": "active"}, config)


def stage_history(household_id):
    return list(get_db().query(
        """SELECT e.*, u.display_name FROM events e LEFT JOIN users u ON u.id = e.user_id
           WHERE e.entity = 'arrears_case' AND e.entity_id = ? ORDER BY e.at, e.id""", [str(household_id)]))


def keep_upload(raw, filename, user_id):
    """Keep a sound file until its user confirms it (a day at most); returns the token that names it."""
    db = get_db()
    token = secrets.token_urlsafe(18)
    with db.atomic():
        db.execute("DELETE FROM ledger_uploads WHERE created_at < ?", [(utc_now() - timedelta(days=1)).strftime(ISO)])
        db["ledger_uploads"].insert({"token": token, "user_id": user_id, "filename": filename, "raw": raw,
                                     "created_at": now()})
    return token


def pending_upload(token, user_id):
    return next(get_db().query("SELECT * FROM ledger_uploads WHERE token = ? AND user_id = ? AND created_at >= ?",
                               [token[:64], user_id, (utc_now() - timedelta(days=1)).strftime(ISO)]), None)


def drop_upload(token):
    db = get_db()
    with db.atomic():
        db.execute("DELETE FROM ledger_uploads WHERE token = ?", [token])


def equipe_members():
    return list(get_db().query(
        "SELECT id, display_name, role FROM users WHERE role IN ('equipe', 'coordinator', 'tutor') AND active = 1 "
        "ORDER BY role, display_name"))
