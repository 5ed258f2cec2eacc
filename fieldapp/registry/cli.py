"""`flask registry import FILE` and `flask demo load`."""
from pathlib import Path

import click
from flask.cli import with_appcontext

from fieldapp.registry.importer import RegistryImportError, import_registry


@click.group("registry", help="The registry of buildings, flats and households.")
def registry_cli():
    pass


@registry_cli.command("import", help="Import buildings, flats and households from a CSV file (all or nothing).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(file):
    try:
        counts = import_registry(file.read_bytes())
    except RegistryImportError as error:
        click.echo(f"Nothing imported: {len(error.errors)} problem(s) in {file.name}", err=True)
        for number, reason in error.errors[:200]:
            click.echo(f"  row {number}: {reason}" if number else f"  {reason}", err=True)
        raise SystemExit(1)
    click.echo(f"Imported {counts.rows} rows: {counts.buildings} new buildings, {counts.units} new flats, "
               f"{counts.households} new households.")


@click.group("demo", help="Invented demo data shaped like Cremona's programme.")
def demo_cli():
    pass


@demo_cli.command("load", help="Load the deterministic demo data set into an empty database.")
@with_appcontext
def demo_load_command():
    from fieldapp import demo

    if demo.has_data():
        click.echo("The database already has data: nothing loaded.")
        summary = demo.logins()
    else:
        summary = demo.load()
    for line in summary:
        click.echo(line)


def init_app(app):
    app.cli.add_command(registry_cli)
    app.cli.add_command(demo_cli)
