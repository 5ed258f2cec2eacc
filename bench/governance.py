"""The programme dashboard over two years of demo-scale data x 10, against one hand-written query per indicator.

On a fresh demo database, two years (project years 1 and 2) of records are added: 50,000 visits,
15,000 follow-ups, 10,000 reports (a third resolved, half of those through one of 1,500 interventions),
400 meetings, 2,000 arrears contacts, 600 pact activities. The dashboard computes every indicator for
project year 2 and the year before, one breakdown by quartiere (both years) and the per-building
figures of its map. Baseline in the same run: one hand-written SQL query per indicator (both years
in one query, conditional aggregation) over the same database, plus the same breakdown and map queries.
Then the whole page (`/governance/?period=PY2`, signed in as the coordinator) through the Flask test client.
Goal: the dashboard's figures at most 2x the hand-written queries. Run: .venv/bin/python bench/governance.py
"""
import argparse
import json
import random
import sqlite3
import sys
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import demo_app, ms_line, ratio_line, report, signed_in, timed  # noqa: E402
from fieldapp.clock import local_today  # noqa: E402
from fieldapp.db import get_db  # noqa: E402
from fieldapp.governance import dashboard
from fieldapp.indicators import periods, registry  # noqa: E402
from fieldapp.indicators.periods import local_zone_midnight  # noqa: E402

GOAL = 2.0


def scale_up(db, rng):
    """Two years of records x 10, spread over the demo's households and buildings."""
    households = [r[0] for r in db.execute("SELECT id FROM households WHERE active = 1")]
    buildings = list(db.execute("SELECT id, lat, lon FROM buildings"))
    user = db.execute("SELECT id FROM users WHERE username = 'coordinatrice'").fetchone()[0]
    contractor = db.execute("SELECT id FROM contractors LIMIT 1").fetchone()[0]
    pacts = [r[0] for r in db.execute("SELECT id FROM pacts")]
    first = date(2025, 1, 1)

    def day():
        return first + timedelta(days=rng.randrange(730))

    def stamp(d, hour=None):
        return f"{d.isoformat()}T{hour if hour is not None else rng.randrange(7, 19):02d}:{rng.randrange(60):02d}:00Z"

    kinds = ["financial", "energy", "educational", "relational"]
    visits = []
    for _ in range(50_000):
        d = day()
        visits.append((str(uuid.uuid4()), rng.choice(households), f"{d.isoformat()}T{rng.randrange(8, 19):02d}:00",
                       rng.choice(kinds), "held", stamp(d), user))
    db.executemany("INSERT INTO visits (uuid, household_id, visited_at, kind, outcome, created_at, created_by) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", visits)
    followups = []
    for v in rng.sample(visits, 15_000):
        due = date.fromisoformat(v[2][:10]) + timedelta(days=rng.randrange(3, 30))
        done = rng.random() < 0.7
        followups.append((str(uuid.uuid4()), v[0], v[1], "call", due.isoformat(), user, "done" if done else "open",
                          stamp(due + timedelta(days=rng.randrange(-3, 4))) if done else None, v[5], user))
    db.executemany("INSERT INTO followups (uuid, visit_uuid, household_id, action, due_on, assignee_id, status,"
                   " done_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", followups)
    reports, events, resolved = [], [], []
    for _ in range(10_000):
        b, d, ref = rng.choice(buildings), day(), str(uuid.uuid4())
        status = rng.choice(["new", "verified", "planned", "resolved", "resolved", "rejected"])
        reports.append((ref, b[0], "courtyard", "waste", "minor", status, b[1], b[2], "building", stamp(d), user))
        if status == "resolved":
            resolved_at = stamp(d + timedelta(days=rng.randrange(1, 40)))
            events.append(("report", ref, resolved_at, user, "verified", "resolved"))
            resolved.append((ref, b[0], d))
    db.executemany("INSERT INTO reports (uuid, building_id, area, category, severity, status, lat, lon,"
                   " location_source, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", reports)
    db.executemany("INSERT INTO events (entity, entity_id, at, user_id, from_status, to_status)"
                   " VALUES (?, ?, ?, ?, ?, ?)", events)
    for ref, building, d in resolved[: len(resolved) // 2]:
        when = d + timedelta(days=rng.randrange(1, 30))
        cursor = db.execute(
            "INSERT INTO interventions (uuid, kind, contractor_id, building_id, scheduled_on, time_from, time_to,"
            " actual_cost_cents, status, done_at, created_at, created_by)"
            " VALUES (?, 'repair', ?, ?, ?, '09:00', '11:00', ?, 'done', ?, ?, ?)",
            [str(uuid.uuid4()), contractor, building, when.isoformat(), rng.randrange(5_000, 500_000),
             stamp(when), stamp(d), user])
        db.execute("INSERT INTO intervention_reports VALUES (?, ?)", [cursor.lastrowid, ref])
    contexts = ["borgo_loreto", "pagliari", "quartiere"]
    for _ in range(400):
        context = rng.choice(contexts)
        db.execute("INSERT INTO meetings (uuid, context, quartiere_id, held_on, start_time, duration_minutes, place,"
                   " kind, participants_public_housing, participants_services, created_at, created_by)"
                   " VALUES (?, ?, ?, ?, '18:00', 90, 'Sala', 'assembly', ?, ?, ?, ?)",
                   [str(uuid.uuid4()), context, rng.randrange(1, 17) if context == "quartiere" else None,
                    day().isoformat(), rng.randrange(3, 40), rng.randrange(0, 5), stamp(first), user])
    db.executemany("INSERT INTO arrears_contacts (household_id, contacted_on, channel, outcome, created_at, created_by)"
                   " VALUES (?, ?, 'phone', 'reached', ?, ?)",
                   [(rng.choice(households), day().isoformat(), stamp(first), user) for _ in range(2_000)])
    db.executemany("INSERT INTO pact_activities (uuid, pact_id, held_on, volunteers, person_hours, created_at,"
                   " created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [(str(uuid.uuid4()), rng.choice(pacts), day().isoformat(), 5, rng.randrange(2, 40), stamp(first),
                     user) for _ in range(600)])
    db.commit()
    return len(visits), len(reports)


def hand_written(db, now, then):
    """One query per indicator, both periods at once; the breakdown and map queries of the page."""
    q = {"s1": now.local_since, "e1": now.local_until, "s0": then.local_since, "e0": then.local_until,
         "u1": now.utc_since, "v1": now.utc_until, "u0": then.utc_since, "v0": then.utc_until,
         "d1": now.start.isoformat(), "f1": now.end.isoformat(),
         "d0": then.start.isoformat(), "f0": then.end.isoformat(),
         "today": local_today().isoformat()}
    both = "SUM({c} >= :{a}1 AND {c} < :{b}1), SUM({c} >= :{a}0 AND {c} < :{b}0)"
    out = {}

    def one(name, sql):
        out[name] = db.execute(sql, q).fetchall()

    one("visits", f"SELECT {both.format(c='visited_at', a='s', b='e')} FROM visits")
    one("reached", """SELECT COUNT(DISTINCT CASE WHEN d >= :d1 AND d < :f1 THEN h END),
                             COUNT(DISTINCT CASE WHEN d >= :d0 AND d < :f0 THEN h END)
                      FROM (SELECT household_id h, substr(visited_at, 1, 10) d FROM visits UNION ALL
                            SELECT household_id, contacted_on FROM arrears_contacts UNION ALL
                            SELECT pp.household_id, s.held_on FROM plan_sessions s JOIN plans p ON p.id = s.plan_id
                            JOIN plan_persons pp ON pp.id = p.person_id)""")
    cut = {}
    for period in (now, then):
        d = period.start
        while d < period.end:
            cut[d.isoformat()] = local_zone_midnight(d + timedelta(days=1))
            d += timedelta(days=1)
    rows = db.execute("""SELECT due_on, status, done_at FROM followups WHERE status <> 'cancelled'
                         AND (status = 'done' OR due_on < :today) AND ((due_on >= :d1 AND due_on < :f1)
                         OR (due_on >= :d0 AND due_on < :f0))""", q).fetchall()
    out["followups"] = [sum(1 for d, s, at in rows if s == "done" and at < cut[d]), len(rows)]
    one("reports", f"SELECT {both.format(c='created_at', a='u', b='v')} FROM reports")
    one("direct", """SELECT SUM(at >= :u1 AND at < :v1), SUM(at >= :u0 AND at < :v0),
                            group_concat(julianday(at) - julianday(created_at)) FROM (
                       SELECT r.created_at, min(e.at) at FROM reports r JOIN events e ON e.entity = 'report'
                       AND e.entity_id = r.uuid AND e.to_status = 'resolved' WHERE r.status = 'resolved'
                       AND NOT EXISTS (SELECT 1 FROM intervention_reports ir
                       JOIN interventions i ON i.id = ir.intervention_id
                       WHERE ir.report_uuid = r.uuid AND i.status = 'done') GROUP BY r.uuid)""")
    one("interventions", f"""SELECT {both.format(c='scheduled_on', a='d', b='f')},
                                    SUM(CASE WHEN scheduled_on >= :d1 AND scheduled_on < :f1
                                        THEN actual_cost_cents END),
                                    SUM(CASE WHEN scheduled_on >= :d0 AND scheduled_on < :f0 THEN actual_cost_cents END)
                             FROM interventions WHERE status = 'done'""")
    one("through", """SELECT COUNT(DISTINCT CASE WHEN i.scheduled_on >= :d1 AND i.scheduled_on < :f1
                                             THEN ir.report_uuid END),
                             COUNT(DISTINCT CASE WHEN i.scheduled_on >= :d0 AND i.scheduled_on < :f0
                                             THEN ir.report_uuid END),
                             group_concat(julianday(i.done_at) - julianday(r.created_at))
                      FROM intervention_reports ir JOIN interventions i ON i.id = ir.intervention_id
                      JOIN reports r ON r.uuid = ir.report_uuid WHERE i.status = 'done'""")
    participants = " + ".join(f"participants_{g}" for g in
                              ("public_housing", "other_residents", "services", "third_sector", "committees"))
    one("meetings", f"""SELECT {both.format(c='held_on', a='d', b='f')},
                               SUM(CASE WHEN held_on >= :d1 AND held_on < :f1 THEN {participants} END),
                               SUM(CASE WHEN held_on >= :d0 AND held_on < :f0 THEN {participants} END) FROM meetings""")
    one("pacts", """SELECT SUM(signed_on < :f1 AND (closed_on IS NULL OR closed_on >= :d1)),
                           SUM(signed_on < :f0 AND (closed_on IS NULL OR closed_on >= :d0)) FROM pacts
                    WHERE signed_on IS NOT NULL AND status <> 'revoked'""")
    one("hours", """SELECT SUM(CASE WHEN held_on >= :d1 AND held_on < :f1 THEN person_hours END),
                           SUM(CASE WHEN held_on >= :d0 AND held_on < :f0 THEN person_hours END)
                    FROM pact_activities""")
    one("plans", """SELECT COUNT(DISTINCT CASE WHEN agreed_on < :f1 AND (closed_on IS NULL OR closed_on >= :d1)
                                          THEN person_id END),
                           COUNT(DISTINCT CASE WHEN agreed_on < :f0 AND (closed_on IS NULL OR closed_on >= :d0)
                                          THEN person_id END)
                    FROM plans""")
    one("goals", """SELECT COUNT(DISTINCT sc.goal_id) FROM plan_review_scores sc
                    JOIN plan_reviews r ON r.id = sc.review_id
                    WHERE sc.score >= 0 AND r.reviewed_on >= :d0 AND r.reviewed_on < :f1""")
    one("arrears", """SELECT l.period, SUM(l.band <> 'none'), SUM(MAX(l.balance, 0)) FROM ledger_months l
                      WHERE l.period IN (SELECT max(period) FROM ledger_months WHERE period < substr(:f1, 1, 7)
                                         UNION SELECT max(period) FROM ledger_months WHERE period < substr(:f0, 1, 7))
                      GROUP BY l.period""")
    one("contacts", f"SELECT {both.format(c='contacted_on', a='d', b='f')} FROM arrears_contacts")
    one("repayment", f"SELECT {both.format(c='created_at', a='u', b='v')} FROM repayment_plans")
    reached = """SELECT household_id, substr(visited_at, 1, 10) d FROM visits UNION ALL
                 SELECT household_id, contacted_on FROM arrears_contacts UNION ALL
                 SELECT pp.household_id, s.held_on FROM plan_sessions s JOIN plans p ON p.id = s.plan_id
                 JOIN plan_persons pp ON pp.id = p.person_id"""
    one("breakdown", f"""SELECT b.quartiere_id, COUNT(DISTINCT CASE WHEN d >= :d1 AND d < :f1 THEN v.household_id END),
                                COUNT(DISTINCT CASE WHEN d >= :d0 AND d < :f0 THEN v.household_id END)
                         FROM ({reached}) v JOIN households h ON h.id = v.household_id JOIN units u ON u.id = h.unit_id
                         JOIN buildings b ON b.id = u.building_id GROUP BY b.quartiere_id""")
    one("map", f"""SELECT b.id, COUNT(DISTINCT v.household_id) FROM ({reached}) v
                   JOIN households h ON h.id = v.household_id
                   JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id
                   WHERE d >= :d1 AND d < :f1 GROUP BY b.id""")
    return out


def dashboard_figures(db, now, then):
    """What the dashboard view computes: every tile (both years), one breakdown, the map's values."""
    tiles = dashboard.tiles(db, now, then, None, None)
    chosen = registry.INDICATORS["households.reached"]
    rows = dashboard.breakdown(chosen, "quartiere", now, then, None, None)
    values = dashboard.building_values(chosen, now, None)
    return tiles, rows, values


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", help="copy the scaled-up database to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(folder)
        raw = sqlite3.connect(f"{folder}/cortile.db")
        visits, reports = scale_up(raw, random.Random(16))
        raw.execute("ANALYZE")
        raw.commit()
        with app.test_request_context():
            db = get_db()
            now = periods.parse("PY2")
            then = now.year_before()
            tiles, _rows, _values = dashboard_figures(db, now, then)
            ours = timed(lambda: dashboard_figures(db, now, then), args.repeat)
        hand_written(raw, now, then)
        baseline = timed(lambda: hand_written(raw, now, then), args.repeat)
        client = signed_in(app, "coordinatrice")
        client.get("/governance/?period=PY2")
        page = timed(lambda: client.get("/governance/?period=PY2"), args.repeat)
        figures = {t["indicator"].code: t["value"] for t in tiles}
        if args.keep:
            import shutil
            shutil.copy(f"{folder}/cortile.db", args.keep)
    examples = {k: figures[k] for k in ("visits.by_kind", "households.reached", "reports.by_status",
                                        "followups.on_time")}
    report(f"data: {visits:,} visits and {reports:,} reports added to the demo (project years 1 and 2)",
           f"indicators shown for PY2: {len(tiles)}; e.g. " + json.dumps(examples, ensure_ascii=False),
           ms_line("dashboard figures", ours, args.repeat),
           ms_line("hand-written queries, one per indicator", baseline, args.repeat),
           ratio_line("ratio", ours, baseline, GOAL),
           ms_line("whole page /governance/?period=PY2 with its map", page, args.repeat))


if __name__ == "__main__":
    main()
