"""SQL of case conferences: the agenda the rules build, the items and their decisions."""
import json
from datetime import date, timedelta

from fieldapp.arrears.queries import CONTACT_DATES
from fieldapp.audit import record_event
from fieldapp.db import get_db, new_uuid, now


def agenda(today, settings):
    """Followed households that need the conference: {household_id: [reason codes]}, by the config rules."""
    db = get_db()
    since = (today - timedelta(days=settings["no_contact_days"])).isoformat()
    reasons = {}

    def add(rows, reason):
        for row in rows:
            reasons.setdefault(row[0], []).append(reason)

    add(db.execute("""SELECT household_id FROM repayment_plans WHERE status = 'broken'
                      AND id IN (SELECT MAX(id) FROM repayment_plans GROUP BY household_id)""").fetchall(),
        "broken_plan")
    add(db.execute("""SELECT l.household_id FROM ledger_months l JOIN arrears_cases c USING (household_id)
                      WHERE l.period = (SELECT MAX(period) FROM ledger_months) AND l.balance >= ?""",
                   [settings["balance"]]).fetchall(), "high_balance")
    add(db.execute(f"""SELECT c.household_id FROM arrears_cases c
                      LEFT JOIN (SELECT household_id, MAX(contacted_on) AS last FROM {CONTACT_DATES}
                                 GROUP BY household_id) lc USING (household_id)
                      JOIN ledger_months l ON l.household_id = c.household_id
                           AND l.period = (SELECT MAX(period) FROM ledger_months) AND l.balance > 0
                      WHERE c.stage NOT IN ('social_services', 'decadenza')
                        AND COALESCE(lc.last, substr(c.flagged_at, 1, 10)) < ?""", [since]).fetchall(),
        "no_contact")
    # A case decided at a conference in the last weeks waits for its decision's due date.
    recent = {row[0] for row in db.execute(
        """SELECT i.household_id FROM conference_items i JOIN conferences c ON c.id = i.conference_id
           WHERE c.held_on >= ? AND (i.due_on IS NULL OR i.due_on >= ?)""",
        [since, today.isoformat()]).fetchall()}
    return {h: r for h, r in reasons.items() if h not in recent}


def create_conference(held_on, items, user_id):
    db = get_db()
    with db.atomic():
        conference_id = db["conferences"].insert(
            {"held_on": held_on, "created_at": now(), "created_by": user_id}).last_pk
        db["conference_items"].insert_all([
            {"conference_id": conference_id, "household_id": h, "reasons": json.dumps(r)} for h, r in items.items()])
        for household_id in items:
            db.execute("INSERT OR IGNORE INTO arrears_cases (household_id, stage, flagged_at, updated_at) "
                       "VALUES (?, 'flagged', ?, ?)", [household_id, now(), now()])
    return conference_id


def conferences():
    return list(get_db().query(
        """SELECT c.*, COUNT(i.id) AS items, SUM(i.decision IS NOT NULL) AS decided FROM conferences c
           LEFT JOIN conference_items i ON i.conference_id = c.id GROUP BY c.id ORDER BY c.held_on DESC, c.id DESC"""))


def conference(conference_id):
    return next(get_db().query("SELECT * FROM conferences WHERE id = ?", [conference_id]), None)


def items(conference_id):
    return [{**r, "reasons": json.loads(r["reasons"])} for r in get_db().query(
        """SELECT i.*, h.code, h.tutor_id, o.display_name AS owner_name, l.balance, l.band
           FROM conference_items i JOIN households h ON h.id = i.household_id
           LEFT JOIN users o ON o.id = i.owner_id
           LEFT JOIN ledger_months l ON l.household_id = h.id AND l.period = (SELECT MAX(period) FROM ledger_months)
           WHERE i.conference_id = ? ORDER BY h.code""", [conference_id])]


def item(item_id):
    return next(get_db().query(
        "SELECT i.*, h.tutor_id FROM conference_items i JOIN households h ON h.id = i.household_id WHERE i.id = ?",
        [item_id]), None)


def decide(item_row, decision, owner_id, due_on, user_id, visit_assignee=None):
    """Record one decision; a visit request becomes a follow-up in the tutor's agenda."""
    db = get_db()
    with db.atomic():
        db.execute("UPDATE conference_items SET decision = ?, owner_id = ?, due_on = ?, decided_at = ? WHERE id = ?",
                   [decision, owner_id, due_on, now(), item_row["id"]])
        # A decision changed at the table: its earlier visit request follows it, never duplicated.
        open_request = db.execute("SELECT uuid FROM followups WHERE decision_id = ? AND status = 'open'",
                                  [item_row["id"]]).fetchone()
        if open_request and decision != "tutor_visit":
            db.execute("UPDATE followups SET status = 'cancelled', version = version + 1 WHERE uuid = ?",
                       [open_request[0]])
            record_event("followup", open_request[0], "open", "cancelled", note="case conference", user_id=user_id,
                         db=db)
        elif open_request:
            db.execute("UPDATE followups SET due_on = ?, assignee_id = ?, version = version + 1 WHERE uuid = ?",
                       [due_on, visit_assignee, open_request[0]])
        elif decision == "tutor_visit" and visit_assignee:
            uuid = new_uuid()
            db["followups"].insert({
                "uuid": uuid, "visit_uuid": None, "decision_id": item_row["id"],
                "household_id": item_row["household_id"], "action": "revisit", "due_on": due_on,
                "assignee_id": visit_assignee, "status": "open", "created_at": now(), "created_by": user_id})
            record_event("followup", uuid, None, "open", note="case conference", user_id=user_id, db=db)
        stage = db.execute("SELECT stage FROM arrears_cases WHERE household_id = ?",
                           [item_row["household_id"]]).fetchone()
        if stage and stage[0] != "conference":
            db.execute("UPDATE arrears_cases SET stage = 'conference', updated_at = ? WHERE household_id = ?",
                       [now(), item_row["household_id"]])
            record_event("arrears_case", item_row["household_id"], stage[0], "conference", user_id=user_id, db=db)


def owners():
    return list(get_db().query(
        "SELECT id, display_name, role FROM users WHERE role IN ('equipe', 'coordinator', 'tutor') AND active = 1 "
        "ORDER BY role, display_name"))


def is_after(due_on, held_on):
    return date.fromisoformat(due_on) >= date.fromisoformat(held_on)
