"""The command line: users, demo data, help for every command."""
import pytest
from click import Group


def test_users_create_reads_the_password_from_stdin(runner, login):
    result = runner.invoke(args=["users", "create", "tutor.cli", "--role", "tutor", "--presidio", "P-CEN"],
                           input="una-password-lunga\n")
    assert result.exit_code == 0, result.output
    assert "Created tutor tutor.cli (P-CEN)" in result.output
    assert login("tutor.cli", "una-password-lunga")


@pytest.mark.parametrize("args, message", [
    (["users", "create", "x.tutor", "--role", "tutor"], "--presidio is required"),
    (["users", "create", "x.tutor", "--role", "tutor", "--presidio", "P-NONE"], "unknown presidio"),
    (["users", "create", "admin", "--role", "admin"], "already exists"),
    (["users", "create", "x.admin", "--role", "boss"], "Invalid value for '--role'"),
])
def test_users_create_refuses_bad_input(runner, db, args, message):
    before = db["users"].count
    result = runner.invoke(args=args, input="una-password-lunga\n")
    assert result.exit_code != 0 and message in result.output
    assert db["users"].count == before


def test_users_create_refuses_a_short_password(runner, db):
    result = runner.invoke(args=["users", "create", "x.admin", "--role", "admin"], input="short\n")
    assert result.exit_code != 0 and "at least 10 characters" in result.output


def test_demo_load_fills_an_empty_database_and_prints_logins(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "558 flats in 12 quartieri, 172 on district heating" in result.output
    assert "coordinatrice" in result.output and "demo-cortile" in result.output


def test_demo_load_never_touches_a_database_with_data(runner, db):
    before = db["households"].count
    result = runner.invoke(args=["demo", "load"])
    assert "already has data" in result.output
    assert db["households"].count == before


def test_every_command_has_help(app):
    def walk(command, path):
        yield path, command
        if isinstance(command, Group):
            for name, sub in command.commands.items():
                yield from walk(sub, f"{path} {name}")

    ours = ["db", "demo", "registry", "users", "translations"]
    for name in ours:
        for path, command in walk(app.cli.commands[name], name):
            assert command.help, f"`flask {path}` has no help text"
