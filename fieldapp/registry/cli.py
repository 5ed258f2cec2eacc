"""`flask registry import FILE`."""
from pathlib import Path

import click
from flask.cli import with_appcontext

from fieldapp.csvfiles import FileRefused
from fieldapp.registry.importer import import_registry


@click.group("registry", help="The registry of buildings, flats and households.")
def registry_cli():
    pass


@registry_cli.command("import", help="Import buildings, flats and households from a CSV file (all or nothing).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(file):
    try:
        counts = import_registry(file.read_bytes())
    except FileRefused as error:
        click.echo(f"Nothing imported: {len(error.errors)} problem(s) in {file.name}", err=True)
        for number, reason in error.errors[:200]:
            click.echo(f"  row {number}: {reason}" if number else f"  {reason}", err=True)
        raise SystemExit(1) from None
    click.echo(f"Imported {counts.rows} rows: {counts.buildings} new buildings, {counts.units} new flats, "
               f"{counts.households} new households.")
