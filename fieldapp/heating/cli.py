"""`flask heating ...`: degree-days, imports of bills, readings and household data, compute."""
from pathlib import Path

import click
from flask.cli import with_appcontext

from fieldapp.audit import audit
from fieldapp.heating import importer, queries
from fieldapp.heating.compute import ComputeError, compute

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("heating", help="Heating contributions of the district-heated flats.")
def heating_cli():
    pass


def _fail(error, file):
    click.echo(f"Nothing imported: {len(error.errors)} problem(s) in {file.name}", err=True)
    for number, reason in error.errors[:200]:
        click.echo(f"  row {number}: {reason}" if number else f"  {reason}", err=True)
    raise SystemExit(1)


def _season_or_exit(code):
    season = queries.season(code)
    if season is None:
        click.echo(f"Unknown season {code}: {', '.join(s['code'] for s in queries.seasons())}", err=True)
        raise SystemExit(1)
    return season


@heating_cli.command("degree-days",
                     help="Set a season's degree-days (GG), or compute them from daily mean temperatures.")
@click.argument("season")
@click.argument("value", required=False)
@click.option("--temperatures", type=FILE, help="CSV date;mean_temperature: HDD base 20 C over the season.")
@with_appcontext
def degree_days_command(season, value, temperatures):
    record = _season_or_exit(season)
    if temperatures:
        try:
            total = importer.degree_days_from_temperatures(temperatures.read_bytes(), record)
        except importer.HeatingImportError as error:
            _fail(error, temperatures)
    else:
        try:
            total = importer.decimal(value or "")
        except ValueError:
            click.echo("Give the degree-days as a number, or --temperatures FILE.", err=True)
            raise SystemExit(1) from None
    if total <= 0:
        click.echo("Degree-days must be above 0.", err=True)
        raise SystemExit(1)
    queries.update_season(season, degree_days=str(total.normalize()))
    audit("heating_degree_days", target=season, detail={"degree_days": str(total)})
    click.echo(f"{season}: {total.normalize():f} degree-days.")


def _import(kind, function, file):
    try:
        result = function(file.read_bytes())
    except importer.HeatingImportError as error:
        _fail(error, file)
    audit(f"heating_import_{kind}", target=file.name, detail={"result": str(result)})
    return result


@heating_cli.command("import-bills", help="Import building bills (all or nothing).")
@click.argument("file", type=FILE)
@with_appcontext
def import_bills_command(file):
    click.echo(f"Imported {_import('bills', importer.import_bills, file)} building bills.")


@heating_cli.command("import-readings", help="Import the reading company's allocator readings (all or nothing).")
@click.argument("file", type=FILE)
@with_appcontext
def import_readings_command(file):
    rows, buildings = _import("readings", importer.import_readings, file)
    click.echo(f"Imported {rows} readings for {buildings} buildings.")


@heating_cli.command("import-household-data", help="Import ISEE and solidarity paid for heating per household.")
@click.argument("file", type=FILE)
@with_appcontext
def import_household_data_command(file):
    click.echo(f"Imported data of {_import('household_data', importer.import_household_data, file)} households.")


@heating_cli.command("compute", help="Compute a season's contributions into a new version.")
@click.argument("season")
@click.option("--rule", type=click.Choice(["A", "B"]), help="Default: the season's rule.")
@with_appcontext
def compute_command(season, rule):
    _season_or_exit(season)
    try:
        number, counts = compute(season, rule)
    except ComputeError as error:
        click.echo(f"Not computed: {error}", err=True)
        raise SystemExit(1) from None
    audit("heating_compute", target=season, detail={"version": number, "counts": counts})
    click.echo(f"{season} version {number}: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
