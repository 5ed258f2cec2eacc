"""The eight roles of DESIGN.md exist, and a tutor always belongs to a presidio."""
import sqlite3

import pytest

from fieldapp.access import ROLES


def test_every_designed_role_is_known():
    assert set(ROLES) == {"tutor", "operator", "community", "coordinator", "equipe", "educator", "aler", "admin"}


@pytest.mark.parametrize("role", ["equipe", "educator", "aler"])
def test_new_roles_can_be_created_from_the_command_line(app, role):
    result = app.test_cli_runner().invoke(args=["users", "create", f"new.{role}", "--role", role],
                                          input="a-long-password\n")
    assert result.exit_code == 0, result.output
    assert f"Created {role} new.{role}" in result.output


def test_the_database_refuses_an_active_tutor_without_a_presidio(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO users (username, display_name, role, password_hash, created_at) "
                   "VALUES ('t.x', 'T', 'tutor', 'x', '2026-11-18T09:00:00Z')")


def test_the_command_line_refuses_a_tutor_without_a_presidio(app):
    result = app.test_cli_runner().invoke(args=["users", "create", "t.none", "--role", "tutor"],
                                          input="a-long-password\n")
    assert result.exit_code != 0 and "--presidio is required for role tutor" in result.output


# The equipe (arrears), the educator (plans) and ALER (governance) have their own areas now: they land there.
def test_aler_lands_on_its_coordination_page(login):
    response = login("aler").get("/", follow_redirects=True)
    assert response.status_code == 200 and "Coordinamento ALER" in response.get_data(as_text=True)


def test_the_educator_lands_on_their_individual_plans(login):
    response = login("educatore").get("/", follow_redirects=True)
    assert response.status_code == 200 and "Progetti individuali" in response.get_data(as_text=True)
