"""The arrears team's pages: caseload and ledger import (case, plans, conferences in sibling modules)."""
from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from fieldapp.access import allow
from fieldapp.arrears import queries, vocab
from fieldapp.arrears.blueprint import READERS, TEAM, bp
from fieldapp.arrears.ledger import LedgerError
from fieldapp.arrears.store import NeedsConfirmation, import_ledger
from fieldapp.audit import audit
from fieldapp.csvfiles import MAX_FILE, UPLOAD_LIMIT
from fieldapp.limits import body_limit
from fieldapp.paging import paginate
from fieldapp.registry.api import presidi
from fieldapp.render import render


def pick(value, choices):
    return value if value in choices else None


@bp.get("/")
@allow(*READERS)
def caseload():
    period = request.args.get("period") or queries.latest_period()
    if period not in queries.periods():
        period = queries.latest_period()
    filters = {
        "flag": pick(request.args.get("flag"), vocab.FLAGS),
        "band": pick(request.args.get("band"), vocab.BANDS),
        "stage": pick(request.args.get("stage"), vocab.STAGES),
        "presidio": request.args.get("presidio") or None,
        "q": request.args.get("q", "").strip()[:40] or None,
        "sort": pick(request.args.get("sort"), queries.SORTS) or "balance",
    }
    page = paginate(queries.caseload, period=period, **filters)
    audit("arrears_caseload_read", target=period, detail={k: v for k, v in filters.items() if v})
    return render("arrears/caseload.html", "arrears/_caseload_rows.html", page=page, period=period,
                  periods=queries.periods(), filters=filters, presidi=presidi(), sorts=queries.SORTS)


@bp.route("/import", methods=["GET", "POST"])
@allow(*TEAM)
@body_limit(UPLOAD_LIMIT)
def ledger_import():
    """Upload, check and review; import at once, or show what would change and ask to confirm."""
    if request.method == "GET":
        return render("arrears/import.html", errors=None, report=None)
    token = request.form.get("confirm", "")
    if token:
        pending = queries.pending_upload(token, current_user.id)
        if pending is None:
            return render("arrears/import.html", errors=[(0, _("This upload has expired: choose the file again."))],
                          report=None, status=422)
        raw, filename = pending["raw"], pending["filename"]
    else:
        upload = request.files.get("file")
        raw = upload.read(MAX_FILE + 1) if upload else b""
        if not upload or not upload.filename:
            return render("arrears/import.html", errors=[(0, _("Choose the ledger file (CSV) to import."))],
                          report=None, status=422)
        if len(raw) > MAX_FILE:
            return render("arrears/import.html", errors=[(0, _("The file is larger than 5 MB."))],
                          report=None, status=422)
        filename = upload.filename[:120]
    try:
        report = import_ledger(raw, filename=filename, user_id=current_user.id, confirmed=bool(token))
    except LedgerError as error:
        return render("arrears/import.html", errors=error.errors, report=None, status=422)
    except NeedsConfirmation as question:
        token = queries.keep_upload(raw, filename, current_user.id)
        return render("arrears/import.html", errors=None, report=question.report, confirm=token)
    if token:
        queries.drop_upload(token)
    return render("arrears/import.html", errors=None, report=report)
