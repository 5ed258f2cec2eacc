"""`flask arrears import FILE`: the monthly ledger from the Servizio Alloggi, all or nothing."""
from pathlib import Path

import click
from flask.cli import with_appcontext

from fieldapp.arrears.ledger import LedgerError
from fieldapp.arrears.store import import_ledger


@click.group("arrears", help="The arrears team: monthly ledger import.")
def arrears_cli():
    pass


@arrears_cli.command("import",
                     help="Import a monthly ledger CSV (all or nothing); a period imported again is replaced.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(file):
    try:
        summaries = import_ledger(file.read_bytes(), filename=file.name)
    except LedgerError as error:
        click.echo(f"Nothing imported: {len(error.errors)} problem(s) in {file.name}", err=True)
        for number, reason in error.errors:
            click.echo(f"  row {number}: {reason}" if number else f"  {reason}", err=True)
        raise SystemExit(1) from None
    for s in summaries:
        verb = "Replaced" if s["replaced"] else "Imported"
        click.echo(f"{verb} {s['period']}: {s['rows']} households, {s['flags']} flags"
                   + (f"; {s['changed']} balances changed, {s['added']} added, {s['removed']} removed"
                      if s["replaced"] else "") + ".")
