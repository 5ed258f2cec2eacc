"""The store: WAL and foreign keys on, migrations that upgrade in place and never lose data."""
import sqlite3

from fieldapp.db import connect, migration_sets, upgrade
from tests.conftest import make_app


def test_connections_use_wal_foreign_keys_and_busy_timeout(app):
    db = connect(app.config["DATABASE"])
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_a_database_from_an_earlier_schema_is_upgraded_without_losing_data(tmp_path, app):
    path = tmp_path / "old.db"
    db = connect(str(path))
    # The schema as it was before registry migration m002 and before every later area existed.
    with app.app_context():
        sets = {m.name: m for m in migration_sets()}
    sets["cortile.core"].apply(db)
    sets["cortile.auth"].apply(db)
    sets["cortile.registry"].apply(db, stop_before="m002_units_by_building")
    db["quartieri"].insert({"id": 1, "name": "Quartiere di prova"})
    db["buildings"].insert({"code": "OLD-1", "address": "Via Vecchia 1", "quartiere_id": 1, "lat": 45.13,
                            "lon": 10.02, "owner": "comune", "district_heating": 0})
    db["units"].insert({"building_id": 1, "scala": "", "piano": "0", "interno": "1"})
    db["households"].insert({"code": "OLD-H-1", "unit_id": 1, "members": 3})
    assert "units_building" not in [i.name for i in db["units"].indexes]
    db.close()

    make_app(tmp_path, db_file=path)  # start-up applies what is pending

    db = connect(str(path))
    assert "units_building" in [i.name for i in db["units"].indexes]
    assert next(db.query("SELECT code, members FROM households")) == {"code": "OLD-H-1", "members": 3}
    with app.app_context():
        assert upgrade(db) == []


def test_db_upgrade_command_reports_an_up_to_date_database(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "up to date" in result.output


def test_foreign_keys_refuse_a_flat_in_a_missing_building(db):
    try:
        db["units"].insert({"building_id": 999_999, "scala": "", "piano": "0", "interno": "1"})
    except sqlite3.IntegrityError:
        return
    raise AssertionError("a flat in a missing building was stored")


def test_the_audit_log_cannot_be_edited(db):
    db["audit_log"].insert({"at": "2026-01-01T00:00:00Z", "action": "login"})
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        try:
            db.execute(statement)
        except sqlite3.IntegrityError:
            continue
        raise AssertionError(f"{statement} was allowed")
