"""A leaving person's open work moves to a successor in one confirmed, audited step; nothing else moves."""
import json

import pytest

from fieldapp.auth.queries import create_user

TRACKED = {  # table: (key, columns a handover may change)
    "followups": ("uuid", ("assignee_id", "status")),
    "households": ("id", ("tutor_id",)),
    "interventions": ("id", ("tutor_id",)),
    "plans": ("id", ("educator_id",)),
    "arrears_cases": ("household_id", ("owner_id",)),
    "conference_items": ("id", ("owner_id",)),
    "users": ("id", ("presidio_code", "active", "role")),
}


def snapshot(db):
    return {(table, row[key]): tuple(row[c] for c in columns)
            for table, (key, columns) in TRACKED.items()
            for row in db.query(f"SELECT {key}, {', '.join(columns)} FROM {table}")}


def user_id(db, username):
    return db.execute("SELECT id FROM users WHERE username = ?", [username]).fetchone()[0]


@pytest.fixture
def admin(login):
    return login("admin")


def test_a_tutors_handover_moves_all_their_open_work_and_nothing_else(admin, db):
    leaving, successor = user_id(db, "tutor.loreto"), user_id(db, "tutor.loreto2")
    before = snapshot(db)
    page = admin.get(f"/admin/users/{leaving}/handover?to={successor}").get_data(as_text=True)
    assert "DEMO-" not in page and "Cosa passa" in page
    answer = admin.post(f"/admin/users/{leaving}/handover", data={"to": str(successor)})
    assert answer.status_code == 303
    after = snapshot(db)
    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    expected = {}
    for (table, pk), values in before.items():
        if table == "followups" and values == (leaving, "open"):
            expected[(table, pk)] = (values, (successor, "open"))
        elif table in ("households", "interventions") and values == (leaving,):
            expected[(table, pk)] = (values, (successor,))
    open_interventions = {r[0] for r in db.execute("SELECT id FROM interventions WHERE status IN "
                                                   "('planned', 'notified', 'in_progress')")}
    inactive = {r[0] for r in db.execute("SELECT id FROM households WHERE active = 0")}
    expected = {k: v for k, v in expected.items() if not (
        k[0] == "interventions" and k[1] not in open_interventions or k[0] == "households" and k[1] in inactive)}
    assert changed == expected
    moved = {kind for (kind, _pk) in changed}
    assert moved == {"followups", "households", "interventions"}
    assert any(v == ((leaving, "done"), (leaving, "done")) for k, v in
               {k: (before[k], after[k]) for k in before if k[0] == "followups"}.items())  # done ones stay
    row = next(db.query("SELECT * FROM audit_log WHERE action = 'user_handover'"))
    detail = json.loads(row["detail"])
    assert detail["to"] == "tutor.loreto2" and detail["deactivated"] is False
    assert detail["moved"]["followups"] == sum(1 for k in changed if k[0] == "followups")
    assert detail["moved"]["presidio"] == 0  # already at Borgo Loreto


def test_the_page_counts_by_kind_before_anything_moves(admin, db):
    leaving, successor = user_id(db, "tutor.loreto"), user_id(db, "tutor.loreto2")
    open_followups = db.execute("SELECT COUNT(*) FROM followups WHERE status = 'open' AND assignee_id = ?",
                                [leaving]).fetchone()[0]
    page = admin.get(f"/admin/users/{leaving}/handover?to={successor}").get_data(as_text=True)
    assert f'<tr data-kind="followups"><th scope="row" class="fw-normal">Azioni aperte</th>' \
           f'<td class="text-end">{open_followups}</td>' in page
    assert db.execute("SELECT COUNT(*) FROM followups WHERE status = 'open' AND assignee_id = ?",
                      [leaving]).fetchone()[0] == open_followups


def test_deactivating_someone_with_open_work_asks_for_a_successor_first(admin, db, login):
    leaving = user_id(db, "tutor.loreto")
    asked = admin.get(f"/admin/users/{leaving}/deactivate")  # the confirmation page leads to the handover
    assert asked.status_code == 302 and asked.headers["Location"].endswith(
        f"/admin/users/{leaving}/handover?deactivate=1")
    answer = admin.post(f"/admin/users/{leaving}/active", data={"confirmed": "1"})
    assert answer.status_code == 303 and answer.headers["Location"] == asked.headers["Location"]
    assert db.execute("SELECT active FROM users WHERE id = ?", [leaving]).fetchone()[0] == 1
    page = admin.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="deactivate-first"' in page
    centro = user_id(db, "tutor.centro")
    tutor = login("tutor.centro")
    assert admin.post(f"/admin/users/{leaving}/handover", data={"to": str(centro), "deactivate": "1"}
                      ).status_code == 303
    assert db.execute("SELECT active FROM users WHERE id = ?", [leaving]).fetchone()[0] == 0
    # The successor moves to the leaver's presidio, and signs in again to see it.
    assert db.execute("SELECT presidio_code FROM users WHERE id = ?", [centro]).fetchone()[0] == "P-BLO"
    assert tutor.get("/agenda").status_code == 302
    assert db.execute("SELECT COUNT(*) FROM followups WHERE status = 'open' AND assignee_id = ?",
                      [leaving]).fetchone()[0] == 0
    # Nothing open any more: deactivating needs no successor.
    other = user_id(db, "operatore")
    assert "Disattivare operatore?" in admin.get(f"/admin/users/{other}/deactivate").get_data(as_text=True)
    assert admin.post(f"/admin/users/{other}/active", data={"confirmed": "1"}).headers["Location"].endswith(
        "/admin/users/")


def test_an_educators_plans_wait_for_a_successor_with_the_same_role(admin, app, db):
    educator = user_id(db, "educatore")
    page = admin.get(f"/admin/users/{educator}/handover").get_data(as_text=True)
    assert 'data-testid="no-successor"' in page
    refused = admin.post(f"/admin/users/{educator}/handover", data={"to": str(user_id(db, "tutor.loreto"))})
    assert refused.status_code == 422
    with app.app_context():
        new = create_user("educatrice.nuova", "Educatrice Nuova", "educator", "una-password-lunga", "P-BLO")
    active = db.execute("SELECT COUNT(*) FROM plans WHERE status = 'active' AND educator_id = ?",
                        [educator]).fetchone()[0]
    assert active and admin.post(f"/admin/users/{educator}/handover", data={"to": str(new)}).status_code == 303
    assert db.execute("SELECT COUNT(*) FROM plans WHERE status = 'active' AND educator_id = ?",
                      [new]).fetchone()[0] == active
