"""`flask governance ...`: the report to the Region for a month, as XLSX (and PDF)."""
from pathlib import Path

import click
from flask.cli import with_appcontext

from fieldapp.audit import audit
from fieldapp.db import get_db
from fieldapp.governance import closing, region


@click.group("governance", help="Programme governance: the report to the Region.")
def governance_cli():
    pass


@governance_cli.command("report", help="Write the Region report of a month: XLSX, and a PDF summary with --pdf.")
@click.option("--period", required=True, help="The month, e.g. 2026-11.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The XLSX file to write.")
@click.option("--pdf", "pdf_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the PDF summary here.")
@with_appcontext
def report_command(period, out, pdf_out):
    try:
        month = closing.month(period)
    except closing.CloseError as refusal:
        click.echo(str(refusal), err=True)
        raise SystemExit(1) from None
    try:
        report = region.build(get_db(), month)
    except closing.CloseError as refusal:
        click.echo(str(refusal), err=True)
        raise SystemExit(1) from None
    for path in filter(None, (out, pdf_out)):
        if not path.parent.is_dir():
            click.echo(f"No folder {path.parent}: nothing written.", err=True)
            raise SystemExit(1)
    out.write_bytes(region.xlsx(report))
    if pdf_out:
        pdf_out.write_bytes(region.pdf(report))
    audit("export", target="region_report.cli", detail={"period": month.key, "provisional": report.provisional})
    state = "PROVISIONAL (open period)" if report.provisional else f"final (snapshot {report.lock['snapshot_id']})"
    click.echo(f"{month.key}: {out}{' and ' + str(pdf_out) if pdf_out else ''} written, {state}.")
