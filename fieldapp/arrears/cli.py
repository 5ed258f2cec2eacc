"""`flask arrears import FILE`: the monthly ledger from the Servizio Alloggi, all or nothing."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from fieldapp.arrears import ledger, vocab
from fieldapp.arrears.ledger import LedgerError
from fieldapp.arrears.store import FIELDS, NeedsConfirmation, import_ledger


@click.group("arrears", help="The arrears team: monthly ledger import.")
def arrears_cli():
    pass


@arrears_cli.command("import",
                     help="Import a monthly ledger CSV (all or nothing). A file that replaces a month, is not the "
                          "next expected month or would shrink the caseload shows what it changes and asks first.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Import without asking, even when the file needs confirmation.")
@with_appcontext
def import_command(file, yes):
    raw = file.read_bytes()
    try:
        report = import_ledger(raw, filename=file.name)
    except LedgerError as error:
        click.echo(ngettext("Nothing imported: %(num)d problem in %(file)s", "Nothing imported: %(num)d problems in "
                            "%(file)s", len(error.errors), file=file.name), err=True)
        for number, reason in error.errors:
            click.echo("  " + (_("Row %(n)s: %(reason)s", n=number, reason=reason) if number else str(reason)),
                       err=True)
        raise SystemExit(1) from None
    except NeedsConfirmation as question:
        _echo(question.report, review=True)
        if not yes:
            click.confirm(_("Import it?"), abort=True)
        report = import_ledger(raw, filename=file.name, confirmed=True)
    _echo(report)


def _echo(report, review=False):
    """The review (or the outcome) as the import page shows it, in the app's language."""
    for reason in report["reasons"] if review else []:
        click.echo(f"! {reason}")
    click.echo(str(report["caseload"]))
    for s in report["periods"]:
        values = {"period": s["period"],
                  "households": ngettext("%(num)d household", "%(num)d households", s["rows"]),
                  "flags": ngettext("%(num)d flag", "%(num)d flags", s["flags"])}
        if review:
            click.echo(_("%(period)s: %(households)s, %(flags)s.", **values))
        elif s["replaced"]:
            click.echo(_("%(period)s replaced: %(households)s, %(flags)s.", **values))
        else:
            click.echo(_("%(period)s imported: %(households)s, %(flags)s.", **values))
        if s["replaced"]:
            click.echo(_("Compared with the earlier import: %(changed)s (charged, paid or balance), "
                         "%(added)s, %(removed)s.",
                         changed=ngettext("%(num)d household changed", "%(num)d households changed", s["changed"]),
                         added=ngettext("%(num)d added", "%(num)d added", s["added"]),
                         removed=ngettext("%(num)d removed", "%(num)d removed", s["removed"])))
            for m in s["examples"]:
                moved = [f"{ledger.HEADERS[f]} {m[f][0] / 100:.2f} -> {m[f][1] / 100:.2f}"
                         for f in FIELDS if m[f][0] != m[f][1]]
                click.echo(f"  {m['code']}: {', '.join(moved)}")
    if report["plans"]:
        click.echo(_("Repayment plans whose status changes:"))
    for plan in report["plans"]:
        click.echo(f"  {plan['code']}: {vocab.PLAN_STATUSES[plan['before']]} -> {vocab.PLAN_STATUSES[plan['after']]}")
