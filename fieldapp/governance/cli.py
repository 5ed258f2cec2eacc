"""`flask governance ...`: the report to the Region for any period, as XLSX (and PDF)."""
from pathlib import Path

import click
from flask.cli import with_appcontext

from fieldapp.audit import audit
from fieldapp.db import get_db
from fieldapp.governance import closing, region, region_pdf, region_xlsx


@click.group("governance", help="Programme governance: the report to the Region.")
def governance_cli():
    pass


@governance_cli.command("report", help="Write the Region report of a period: XLSX, and a PDF summary with --pdf.")
@click.option("--period", required=True,
              help="A month (2026-11), a quarter (2026-Q4), a heating season (2024-25), a project year (PY1), "
                   "or the project to date (project).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The XLSX file to write.")
@click.option("--pdf", "pdf_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the PDF summary here.")
@with_appcontext
def report_command(period, out, pdf_out):
    try:
        chosen = closing.report_period(period)
        report = region.build(get_db(), chosen)
    except closing.CloseError as refusal:
        click.echo(str(refusal), err=True)
        raise SystemExit(1) from None
    for path in filter(None, (out, pdf_out)):
        if not path.parent.is_dir():
            click.echo(f"No folder {path.parent}: nothing written.", err=True)
            raise SystemExit(1)
    out.write_bytes(region_xlsx.workbook(report))
    if pdf_out:
        pdf_out.write_bytes(region_pdf.summary(report))
    audit("export", target="region_report.cli", detail={"period": chosen.key, "provisional": report.provisional})
    state = (f"final (snapshot {report.lock['snapshot_id']})" if report.lock else
             "computed now (not a closable period)" if chosen.kind in ("season", "project")
             else "PROVISIONAL (open period)")
    click.echo(f"{chosen.key}: {out}{' and ' + str(pdf_out) if pdf_out else ''} written, {state}.")
