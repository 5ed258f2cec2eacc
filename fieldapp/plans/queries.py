"""Every SQL statement of the plans area."""
import json

from fieldapp.db import get_db, now
from fieldapp.where import Where

PLAN = """SELECT p.*, pp.code AS person_code, pp.birth_band, pp.household_id, h.code AS household_code,
                 b.presidio_code, u.display_name AS educator_name
          FROM plans p JOIN plan_persons pp ON pp.id = p.person_id
          LEFT JOIN households h ON h.id = pp.household_id LEFT JOIN units un ON un.id = h.unit_id
          LEFT JOIN buildings b ON b.id = un.building_id JOIN users u ON u.id = p.educator_id"""


def plan(plan_id):
    return next(get_db().query(f"{PLAN} WHERE p.id = ?", [plan_id]), None)


def plans(educator_id=None, status=None):
    """Plans, next review first; an educator's own when educator_id is given."""
    where = Where().when(educator_id, "p.educator_id = ?").when(status, "p.status = ?")
    return list(get_db().query(f"{PLAN} {where.clause()} ORDER BY p.status, p.review_on, p.id", where.params))


def household(code):
    return next(get_db().query(
        """SELECT h.id, h.code, b.presidio_code FROM households h JOIN units u ON u.id = h.unit_id
           JOIN buildings b ON b.id = u.building_id WHERE h.code = ? AND h.active = 1""", [code]), None)


def next_person_code(db):
    number = db.execute("SELECT count(*) FROM plan_persons").fetchone()[0] + 1
    while db.execute("SELECT 1 FROM plan_persons WHERE code = ?", [f"PEI-{number:04d}"]).fetchone():
        number += 1
    return f"PEI-{number:04d}"


def create_plan(person, plan_row, user_id):
    """A person and their plan, in one transaction; returns the plan id."""
    db = get_db()
    with db.atomic():
        person_id = db["plan_persons"].insert({
            **person, "code": next_person_code(db), "created_at": now(), "created_by": user_id}).last_pk
        return db["plans"].insert({**plan_row, "person_id": person_id, "status": "active",
                                   "created_at": now(), "created_by": user_id, "version": 1}).last_pk


def goals(plan_id):
    return list(get_db().query("SELECT * FROM plan_goals WHERE plan_id = ? ORDER BY id", [plan_id]))


def add_goal(plan_id, row):
    get_db()["plan_goals"].insert({**row, "plan_id": plan_id, "created_at": now()})


def sessions(plan_id):
    return [dict(s, goal_ids=json.loads(s["goal_ids"])) for s in get_db().query(
        "SELECT * FROM plan_sessions WHERE plan_id = ? ORDER BY held_on DESC, created_at DESC", [plan_id])]


def create_session(uuid, plan_id, content, user_id, client_created_at, content_hash):
    db = get_db()
    with db.atomic():
        db["plan_sessions"].insert({
            "uuid": uuid, "plan_id": plan_id, **content, "goal_ids": json.dumps(content["goal_ids"]),
            "created_at": now(), "client_created_at": client_created_at, "created_by": user_id,
            "version": 1, "content_hash": content_hash})


def reviews(plan_id):
    rows = list(get_db().query("SELECT * FROM plan_reviews WHERE plan_id = ? ORDER BY reviewed_on DESC, id DESC",
                               [plan_id]))
    for row in rows:
        row["scores"] = {s["goal_id"]: s["score"] for s in get_db().query(
            "SELECT goal_id, score FROM plan_review_scores WHERE review_id = ?", [row["id"]])}
    return rows


def create_review(plan_id, reviewed_on, note, next_review_on, scores, user_id):
    """The review, its scores and the plan's next review date, in one transaction."""
    db = get_db()
    with db.atomic():
        review_id = db["plan_reviews"].insert({
            "plan_id": plan_id, "reviewed_on": reviewed_on, "note": note, "next_review_on": next_review_on,
            "created_at": now(), "created_by": user_id}).last_pk
        db["plan_review_scores"].insert_all(
            [{"review_id": review_id, "goal_id": goal_id, "score": score} for goal_id, score in scores.items()])
        db.execute("UPDATE plans SET review_on = ?, version = version + 1 WHERE id = ?", [next_review_on, plan_id])


def close_plan(plan_id, closed_on, reason):
    db = get_db()
    with db.atomic():
        db.execute("""UPDATE plans SET status = 'closed', closed_on = ?, closing_reason = ?, version = version + 1
                      WHERE id = ? AND status = 'active'""", [closed_on, reason, plan_id])


def active_plans_of_household(household_id):
    """What the household's tutor may know: that a plan is active, its next review, its educator."""
    return list(get_db().query(
        """SELECT p.id, p.review_on, u.display_name AS educator_name FROM plans p
           JOIN plan_persons pp ON pp.id = p.person_id JOIN users u ON u.id = p.educator_id
           WHERE pp.household_id = ? AND p.status = 'active' ORDER BY p.review_on""", [household_id]))


def planned_sessions(educator_id, today):
    where = "AND p.educator_id = ?" if educator_id is not None else ""
    params = [today] + ([educator_id] if educator_id is not None else [])
    return list(get_db().query(
        f"""SELECT s.uuid, s.held_on, s.kind, s.duration_minutes, p.id AS plan_id, pp.code AS person_code
            FROM plan_sessions s JOIN plans p ON p.id = s.plan_id JOIN plan_persons pp ON pp.id = p.person_id
            WHERE s.held_on >= ? AND p.status = 'active' {where} ORDER BY s.held_on""", params))


# --- indicators ---------------------------------------------------------------------------

def _scope(educator_id):
    return ("AND p.educator_id = ?", [educator_id]) if educator_id is not None else ("", [])


def people_in_plan(educator_id=None):
    where, params = _scope(educator_id)
    return get_db().execute(
        f"SELECT count(DISTINCT p.person_id) FROM plans p WHERE p.status = 'active' {where}", params).fetchone()[0]


def sessions_per_month(since, educator_id=None):
    where, params = _scope(educator_id)
    return list(get_db().query(
        f"""SELECT substr(s.held_on, 1, 7) AS month, count(*) AS sessions, sum(s.duration_minutes) AS minutes
            FROM plan_sessions s JOIN plans p ON p.id = s.plan_id
            WHERE s.held_on >= ? {where} GROUP BY month ORDER BY month""", [since, *params]))


def latest_scores(educator_id=None):
    """Each goal's score at its plan's latest review."""
    where, params = _scope(educator_id)
    return [row["score"] for row in get_db().query(
        f"""SELECT sc.score FROM plan_review_scores sc JOIN plan_reviews r ON r.id = sc.review_id
            JOIN plans p ON p.id = r.plan_id
            WHERE r.id = (SELECT r2.id FROM plan_reviews r2 WHERE r2.plan_id = r.plan_id
                          ORDER BY r2.reviewed_on DESC, r2.id DESC LIMIT 1) {where}""", params)]


def days_to_first_session(educator_id=None):
    where, params = _scope(educator_id)
    return [row["days"] for row in get_db().query(
        f"""SELECT CAST(julianday(min(s.held_on)) - julianday(p.agreed_on) AS INTEGER) AS days
            FROM plans p JOIN plan_sessions s ON s.plan_id = p.id WHERE 1 {where} GROUP BY p.id""", params)]
