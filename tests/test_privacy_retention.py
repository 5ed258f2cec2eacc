"""Privacy, parts 2 and 3: retention runs dry then applies, statutory holds, erasure and the access ZIP."""
import csv
import io
import zipfile

import pytest

from fieldapp.photos import LocalPhotoStore
from tests.conftest import make_app


def visit_of(db, where="1=1"):
    return next(db.query(f"SELECT v.*, h.code FROM visits v JOIN households h ON h.id = v.household_id "
                         f"WHERE {where} ORDER BY v.uuid LIMIT 1"))


def old_visit(db):
    """A visit moved six years back, with a note."""
    visit = visit_of(db)
    db.execute("UPDATE visits SET visited_at = '2020-03-02T10:00', note = 'Signora anziana, sola' WHERE uuid = ?",
               [visit["uuid"]])
    return visit["uuid"]


def test_retention_runs_dry_by_default_then_applies_and_logs(app, runner, db):
    uuid = old_visit(db)
    db["login_attempts"].insert({"at": "2026-01-01T10:00:00Z", "username": "vecchio", "ip": "10.0.0.9", "success": 0})
    db["audit_log"].insert({"at": "2024-01-05T10:00:00Z", "username": "h:abc", "action": "household_list_read",
                            "detail": '{"q": "Rossi"}', "ip": "10.0.0.9", "user_id": 1})
    dry = runner.invoke(args=["retention", "apply"])
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output and "visits anonymised (older than 1825 days): 1" in dry.output
    assert "sign-in attempts removed (older than 30 days): 1" in dry.output
    assert "audit rows pseudonymised (older than 730 days): 1" in dry.output
    assert "closed plans anonymised" in dry.output or "plans" not in db.table_names()
    assert db.execute("SELECT note FROM visits WHERE uuid = ?", [uuid]).fetchone()[0] == "Signora anziana, sola"
    done = runner.invoke(args=["retention", "apply", "--yes"])
    assert done.exit_code == 0 and "applied" in done.output, done.output
    visit = next(db.query("SELECT * FROM visits WHERE uuid = ?", [uuid]))
    assert visit["note"] is None and visit["frailty"] == "[]" and visit["kind"]  # counted still
    assert db["login_attempts"].count_where("username = 'vecchio'") == 0
    old = next(db.query("SELECT * FROM audit_log WHERE at = '2024-01-05T10:00:00Z'"))
    assert old["username"] is None and old["ip"] is None and old["detail"] is None and old["pseudonymised_at"]
    assert old["action"] == "household_list_read" and old["user_id"] == 1  # the row stays
    assert db["audit_log"].count_where("action = 'retention_applied'") == 1
    again = runner.invoke(args=["retention", "apply"])
    assert "visits anonymised (older than 1825 days): 0" in again.output


def test_the_audit_log_stays_append_only_outside_the_sanctioned_path(db):
    db["audit_log"].insert({"at": "2024-01-05T10:00:00Z", "action": "login", "username": "h:x", "ip": "1.2.3.4"})
    for statement in ("UPDATE audit_log SET username = NULL", "DELETE FROM audit_log",
                      "UPDATE audit_log SET pseudonymised_at = 'x'"):
        with pytest.raises(Exception, match="append-only"):
            db.execute(statement)
    db.execute("INSERT INTO audit_pseudonymising VALUES ('now')")
    with pytest.raises(Exception, match="append-only"):  # even with the grant: no rewriting of what happened
        db.execute("UPDATE audit_log SET action = 'logout', pseudonymised_at = 'x'")


@pytest.mark.parametrize("policy, message", [
    ({"visits": 0}, "at least 1"), ({"visitz": 30}, "unknown record type"),
    ({"audit_log": "two years"}, "whole number"),
])
def test_an_invalid_policy_refuses_to_start(tmp_path, demo_db, policy, message):
    import shutil
    shutil.copy(demo_db, tmp_path / "c.db")
    app = make_app(tmp_path, db_file=tmp_path / "c.db", RETENTION=policy)
    result = app.test_cli_runner().invoke(args=["retention", "apply", "--yes"])
    assert result.exit_code != 0 and "invalid retention policy" in result.output and message in result.output


def test_a_locked_period_holds_its_visits(runner, db):
    uuid = old_visit(db)
    coordinator = db.execute("SELECT id FROM users WHERE username = 'coordinatrice'").fetchone()[0]
    db.execute("INSERT INTO period_snapshots (id, period_key, taken_at, taken_by) "
               "VALUES (1, 'PY1', '2023-01-02T09:00:00Z', ?)", [coordinator])
    db.execute("INSERT INTO locked_periods (period_key, kind, starts_on, ends_on, locked_at, locked_by, "
               "snapshot_id) VALUES ('PY1', 'project_year', '2020-01-01', '2022-12-31', "
               "'2023-01-02T09:00:00Z', ?, 1)", [coordinator])
    result = runner.invoke(args=["retention", "apply", "--yes"])
    assert "visits kept (inside a locked reporting period): 1" in result.output, result.output
    assert db.execute("SELECT note FROM visits WHERE uuid = ?", [uuid]).fetchone()[0] == "Signora anziana, sola"


def test_erasing_an_unknown_code_says_so_and_changes_nothing(runner, db):
    before = db["audit_log"].count
    result = runner.invoke(args=["households", "erase", "DEMO-NOPE-999", "--yes"])
    assert result.exit_code != 0 and "no household with code 'DEMO-NOPE-999'" in result.output
    assert db["audit_log"].count == before


def test_erasure_anonymises_and_keeps_counts_and_statutory_records(runner, db):
    visit = visit_of(db, "v.note IS NOT NULL")
    code = visit["code"]
    hid = visit["household_id"]
    visits_before = db["visits"].count
    db.execute("CREATE TABLE contributions "
               "(id INTEGER PRIMARY KEY, household_code TEXT, amount_cents INTEGER, paid_on TEXT)")
    db.execute("INSERT INTO contributions (household_code, amount_cents, paid_on) VALUES (?, 12000, '2025-06-30')",
               [code])
    result = runner.invoke(args=["households", "erase", code, "--yes"])
    assert result.exit_code == 0, result.output
    assert "contributions: 1 rows kept until 2030-12-31" in result.output
    assert "2021/1060" in result.output
    assert db["visits"].count == visits_before  # aggregate counts unchanged
    assert db.execute("SELECT COUNT(*) FROM visits WHERE household_id = ? AND note IS NOT NULL",
                      [hid]).fetchone()[0] == 0
    assert db.execute("SELECT amount_cents FROM contributions").fetchone()[0] == 12000
    household = next(db.query("SELECT * FROM households WHERE id = ?", [hid]))
    assert household["active"] == 0 and household["code"] == code
    assert db["audit_log"].count_where("action = 'household_erased'") == 1


def test_erasure_without_statutory_records_renames_the_household(runner, db):
    tables = db.table_names()
    free = ["1=1"]
    if "heating_contributions" in tables:
        free.append("h.code NOT IN (SELECT household_code FROM heating_contributions)")
    household = next(db.query(f"SELECT h.id, h.code FROM households h WHERE {' AND '.join(free)} "
                              "ORDER BY h.id LIMIT 1"))
    if "ledger_months" in tables:  # every demo household has a rent ledger: this one has none
        db.execute("DELETE FROM ledger_months WHERE household_id = ?", [household["id"]])
    result = runner.invoke(args=["households", "erase", household["code"], "--yes"])
    assert result.exit_code == 0 and f"renamed ERASED-{household['id']}" in result.output, result.output
    assert db["households"].count_where("code = ?", [household["code"]]) == 0


def test_the_access_request_zip_holds_the_household_data_and_is_audited(app, runner, db, tmp_path):
    visit = visit_of(db, "v.note IS NOT NULL")
    # A photo linked to the visit (the schema has no household photos yet: the link is by record id).
    sha = "ab" * 32
    path = LocalPhotoStore(app.config["PHOTOS_DIR"]).path(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xd8fake-jpeg\xff\xd9")
    db["photos"].insert({"uuid": "p-1", "sha256": sha, "owner": "report", "owner_id": visit["uuid"],
                         "created_at": "2026-11-18T09:00:00Z"})
    out = tmp_path / "access.zip"
    result = runner.invoke(args=["households", "export", visit["code"], "--out", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        assert {"household.csv", "visits.csv", "followups.csv", "access_log.csv"} <= names
        household = list(csv.DictReader(io.StringIO(archive.read("household.csv").decode("utf-8-sig")), delimiter=";"))
        visits = list(csv.DictReader(io.StringIO(archive.read("visits.csv").decode("utf-8-sig")), delimiter=";"))
        assert archive.read("photos/p-1.jpg") == b"\xff\xd8fake-jpeg\xff\xd9"
    assert household[0]["code"] == visit["code"]
    assert visit["note"] in {v["note"] for v in visits}
    assert db["audit_log"].count_where("action = 'household_exported' AND target = ?", [visit["code"]]) == 1
    unknown = runner.invoke(args=["households", "export", "DEMO-NOPE-1"])
    assert unknown.exit_code != 0 and "no household" in unknown.output


def unpaid(db, code):
    """Take the household out of the heating ledger (append-only: the test lifts the guard on its own copy)."""
    db.execute("DROP TRIGGER heating_ledger_no_delete")
    db.execute("DELETE FROM heating_recoveries WHERE entry_id IN "
               "(SELECT id FROM heating_ledger WHERE household_code = ?)", [code])
    db.execute("DELETE FROM heating_ledger WHERE household_code = ?", [code])


def test_erasure_empties_the_educational_plans_and_unlinks_their_people(runner, db):
    """The most sensitive records of the household: their texts go, their figures stay, nothing crashes."""
    person = next(db.query("SELECT pp.id, pp.household_id, h.code FROM plan_persons pp "
                           "JOIN households h ON h.id = pp.household_id ORDER BY pp.id LIMIT 1"))
    plan = next(db.query("SELECT * FROM plans WHERE person_id = ?", [person["id"]]))
    goals = db["plan_goals"].count_where("plan_id = ?", [plan["id"]])
    unpaid(db, person["code"])
    for table in ("ledger_months", "heating_act_lines", "heating_contributions", "heating_household_data",
                  "heating_readings"):
        if table in db.table_names():  # no money records: nothing holds the household back
            col = "household_id" if "household_id" in db[table].columns_dict else "household_code"
            db.execute(f"DELETE FROM {table} WHERE {col} = ?",
                       [person["household_id"] if col == "household_id" else person["code"]])
    db.conn.commit()
    result = runner.invoke(args=["households", "erase", person["code"], "--yes"])
    assert result.exit_code == 0, result.output
    assert "educational plans anonymised: 1" in result.output and "unlinked from the household: 1" in result.output
    after = next(db.query("SELECT * FROM plans WHERE id = ?", [plan["id"]]))
    assert (after["objectives"], after["supports"], after["protocol"]) == ("", "", "-") and after["anonymised_at"]
    assert (after["agreed_on"], after["review_on"], after["status"]) == (
        plan["agreed_on"], plan["review_on"], plan["status"])
    assert db["plan_goals"].count_where("plan_id = ?", [plan["id"]]) == goals  # the figures stay
    assert db.execute("SELECT count(*) FROM plan_goals WHERE plan_id = ? AND text != '-'",
                      [plan["id"]]).fetchone()[0] == 0
    assert db["plan_persons"].get(person["id"])["household_id"] is None
    assert db["households"].count_where("code = ?", [person["code"]]) == 0


def test_erasure_blocked_by_a_dependent_record_says_so_and_changes_nothing(runner, db):
    """A repayment plan's instalments hang on the plan, not on the household: erasure stops cleanly."""
    household = next(db.query("SELECT h.id, h.code FROM repayment_plans r JOIN households h ON h.id = r.household_id "
                              "JOIN plan_instalments i ON i.plan_id = r.id LIMIT 1"))
    db.execute("DELETE FROM ledger_months WHERE household_id = ?", [household["id"]])  # no statutory hold left
    unpaid(db, household["code"])
    db.execute("DELETE FROM heating_act_lines WHERE household_code = ?", [household["code"]])
    db.execute("DELETE FROM heating_contributions WHERE household_code = ?", [household["code"]])
    db.conn.commit()
    before = {t: db[t].count for t in ("visits", "repayment_plans", "audit_log")}
    notes = db.execute("SELECT count(*) FROM visits WHERE household_id = ? AND note IS NOT NULL",
                       [household["id"]]).fetchone()[0]
    result = runner.invoke(args=["households", "erase", household["code"], "--yes"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{household['code']} was not erased, nothing was changed" in result.output
    assert {t: db[t].count for t in before} == before
    assert db["households"].get(household["id"])["code"] == household["code"]
    assert db.execute("SELECT count(*) FROM visits WHERE household_id = ? AND note IS NOT NULL",
                      [household["id"]]).fetchone()[0] == notes
