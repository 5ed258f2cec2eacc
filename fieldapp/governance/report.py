"""The Region report downloads (coordinator): the XLSX workbook and the PDF summary of any period."""
from flask import redirect, request, url_for

from fieldapp import sheets
from fieldapp.access import allow
from fieldapp.audit import audit
from fieldapp.db import get_db
from fieldapp.governance import closing, region, region_pdf, region_xlsx
from fieldapp.governance.blueprint import bp
from fieldapp.governance.close import COORDINATOR, PREFIX
from fieldapp.render import render


def _download(key, ext):
    try:
        period = closing.report_period(key)
    except closing.CloseError as refusal:
        return render("governance/close_unknown.html", message=str(refusal), status=404)
    try:
        report = region.build(get_db(), period)
    except closing.CloseError as refusal:  # an indicator that cannot be computed: say which
        return render("governance/close_unknown.html", message=str(refusal), status=422)
    body = region_xlsx.workbook(report) if ext == "xlsx" else region_pdf.summary(report)
    audit("export", target=f"region_report.{ext}", detail={"period": period.key, "provisional": report.provisional})
    return sheets.download(body, ext, region.filename(period))


@bp.get(f"{PREFIX}/report/<key>.xlsx")
@allow(*COORDINATOR)
def report_xlsx(key):
    return _download(key, "xlsx")


@bp.get(f"{PREFIX}/report/<key>.pdf")
@allow(*COORDINATOR)
def report_pdf(key):
    return _download(key, "pdf")


@bp.get(f"{PREFIX}/report/")
@allow(*COORDINATOR)
def report_choice():
    """The period picker's answer (a plain GET form): the chosen period's workbook or summary."""
    ext = "pdf" if request.args.get("format") == "pdf" else "xlsx"
    key = (request.args.get("period") or "")[:20]
    return redirect(url_for(f"governance.report_{ext}", key=key or "-"), 303)
