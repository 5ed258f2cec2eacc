"""`flask retention apply` and `flask households erase|export CODE`."""
import sqlite3
from pathlib import Path

import click
from flask.cli import with_appcontext

from fieldapp.db import get_db
from fieldapp.privacy import households, retention


@click.group("retention", help="Retention of personal data (GDPR art. 5(1)(e)).")
def retention_cli():
    pass


@retention_cli.command("apply", help="Show what the retention policy would remove; --yes applies it.")
@click.option("--yes", is_flag=True, help="Apply the policy (without it, nothing changes).")
@with_appcontext
def apply_command(yes):
    try:
        rules = retention.policy()
    except retention.PolicyError as error:
        raise click.ClickException(f"invalid retention policy, nothing done: {error}") from error
    lines = retention.run(get_db(), rules, dry_run=not yes)
    click.echo(f"Retention {'applied' if yes else 'dry run, nothing changed (add --yes to apply)'}:")
    for label, count in lines:
        click.echo(f"  {label}: {count}")


@click.group("households", help="One household's data: access requests and erasure.")
def households_cli():
    pass


def _household_or_fail(code):
    household = households.household_by_code(get_db(), code)
    if household is None:
        raise click.ClickException(f"no household with code {code!r}: nothing erased or exported")
    return household


@households_cli.command("export", help="Write everything held about a household as a ZIP (GDPR art. 15).")
@click.argument("code")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="ZIP file (default CODE.zip).")
@with_appcontext
def export_command(code, out):
    household = _household_or_fail(code)
    target = Path(out or f"{household['code']}.zip")
    names = households.export(get_db(), household, target)
    click.echo(f"Wrote {target} ({len(names)} files)")


@households_cli.command("erase", help="Anonymise a household's personal records, within statutory limits.")
@click.argument("code")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def erase_command(code, yes):
    household = _household_or_fail(code)
    if not yes:
        click.confirm(f"Erase the personal records of {household['code']}?", abort=True)
    try:
        done, kept = households.erase(get_db(), household)
    except sqlite3.IntegrityError as error:
        # Another area's rows hang on the household in a way erasure does not know yet: say so, change nothing.
        raise click.ClickException(f"{household['code']} was not erased, nothing was changed: another record "
                                   f"still depends on it ({error}). Erase or unlink that record first.") from error
    click.echo(f"Erased {household['code']}:")
    for line in done:
        click.echo(f"  done: {line}")
    for line in kept:
        click.echo(f"  kept: {line}")
