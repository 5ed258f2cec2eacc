"""`flask users ...`: create accounts from the command line."""
import sys

import click
from flask.cli import with_appcontext

from fieldapp.access import PRESIDIO_ROLES, ROLES
from fieldapp.auth import queries
from fieldapp.db import get_db


@click.group("users", help="User accounts.")
def users_cli():
    pass


@users_cli.command("create", help="Create a user; the password is asked for, or read from stdin when piped.")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
@click.option("--presidio", "presidio", default=None, help="Presidio code (required for a tutor).")
@click.option("--display-name", default=None, help="Name shown in the interface (defaults to NAME).")
@with_appcontext
def create_command(name, role, presidio, display_name):
    if role in PRESIDIO_ROLES and not presidio:
        raise click.UsageError(f"--presidio is required for role {role}")
    if presidio and not get_db()["presidi"].count_where("code = ?", [presidio]):
        raise click.UsageError(f"unknown presidio {presidio!r}")
    if queries.user_for_login(name):
        raise click.UsageError(f"user {name!r} already exists")
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 10:
        raise click.UsageError("the password must be at least 10 characters long")
    queries.create_user(name, display_name or name, role, password, presidio)
    click.echo(f"Created {role} {name}" + (f" ({presidio})" if presidio else ""))


@users_cli.command("list", help="List user accounts.")
@with_appcontext
def list_command():
    for user in queries.list_users():
        state = "" if user["active"] else "  (deactivated)"
        click.echo(f"{user['username']:<20} {user['role']:<12} {user['presidio_code'] or '-':<8}{state}")
