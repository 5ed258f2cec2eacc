"""The tutor's need-to-know view on the household page: band, trend, plan status, next instalment date.

Never amounts, ISEE, causes, contacts or minutes: those stay with the team.
"""
from flask import current_app
from flask_login import current_user

from fieldapp.arrears import queries
from fieldapp.arrears.vocab import BANDS, PLAN_STATUSES, TRENDS
from fieldapp.db import get_db


def load(household):
    db = get_db()
    if "ledger_months" not in db.table_names():
        return None
    line = db.execute("SELECT band, period FROM ledger_months WHERE household_id = ? ORDER BY period DESC LIMIT 1",
                      [household["id"]]).fetchone()
    if line is None:
        return None
    plan = next(db.query("SELECT * FROM repayment_plans WHERE household_id = ? ORDER BY id DESC LIMIT 1",
                         [household["id"]]), None)
    visit = db.execute("""SELECT due_on FROM followups WHERE household_id = ? AND decision_id IS NOT NULL
                          AND status = 'open' ORDER BY due_on LIMIT 1""", [household["id"]]).fetchone()
    trend = queries.trend_of(household["id"], current_app.config["ARREARS_TREND_TOLERANCE_CENTS"], db)
    return {
        "band_label": BANDS[line[0]], "period": line[1], "trend_label": TRENDS[trend],
        "plan_label": PLAN_STATUSES[plan["status"]] if plan else None,
        "next_due": queries.next_due(plan) if plan and plan["status"] in ("active", "late") else None,
        "visit_due": visit[0] if visit else None,
        "case_link": current_user.role in ("coordinator", "equipe"),
    }

