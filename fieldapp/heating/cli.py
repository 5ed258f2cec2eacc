"""`flask heating ...`: degree-days, imports of bills, readings and household data, compute."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from fieldapp import bounds
from fieldapp.audit import audit
from fieldapp.heating import importer, queries
from fieldapp.heating.compute import ComputeError, compute

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("heating", help="Heating contributions of the district-heated flats.")
def heating_cli():
    pass


def _fail(error, file):
    """Print the file's problems (in the app's language, each naming its row and column); exit 1."""
    click.echo(ngettext("Nothing imported: %(num)d problem in %(file)s", "Nothing imported: %(num)d problems in "
                        "%(file)s", len(error.errors), file=file.name), err=True)
    for number, reason in error.errors[:200]:
        click.echo("  " + (_("Row %(n)s: %(reason)s", n=number, reason=reason) if number else str(reason)), err=True)
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
            total = bounds.parse("degree_days", value or "")
        except bounds.BoundError as error:
            click.echo(_("Give the degree-days as a number, or --temperatures FILE. %(error)s", error=error), err=True)
            raise SystemExit(1) from None
    queries.update_season(season, degree_days=bounds.text(total))
    audit("heating_degree_days", target=season, detail={"degree_days": str(total)})
    click.echo(f"{season}: {bounds.text(total)} degree-days.")


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
    click.echo(_("Imported %(n)s building bills.", n=_import("bills", importer.import_bills, file)))


@heating_cli.command("import-readings", help="Import the reading company's allocator readings (all or nothing).")
@click.argument("file", type=FILE)
@with_appcontext
def import_readings_command(file):
    rows, buildings = _import("readings", importer.import_readings, file)
    click.echo(_("Imported %(readings)s for %(buildings)s.",
                 readings=ngettext("%(num)d reading", "%(num)d readings", rows),
                 buildings=ngettext("%(num)d building", "%(num)d buildings", buildings)))


@heating_cli.command("import-household-data", help="Import ISEE and solidarity paid for heating per household.")
@click.argument("file", type=FILE)
@with_appcontext
def import_household_data_command(file):
    count = _import("household_data", importer.import_household_data, file)
    click.echo(ngettext("Imported the data of %(num)d household.", "Imported the data of %(num)d households.", count))


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
