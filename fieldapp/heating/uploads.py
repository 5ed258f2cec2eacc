"""The equipe's files: building bills, readings, household data, and daily temperatures for degree-days."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from fieldapp import bounds
from fieldapp.access import allow
from fieldapp.audit import audit
from fieldapp.csvfiles import MAX_FILE, UPLOAD_LIMIT
from fieldapp.heating import importer, queries
from fieldapp.heating.blueprint import EQUIPE, bp, season_or_404
from fieldapp.heating.routes import season_page
from fieldapp.limits import body_limit
from fieldapp.render import render

IMPORTS = {
    "bills": (importer.import_bills, "codice_stabile;stagione;mwh;euro_mwh;quota_fissa_euro;quota_volontaria"),
    "readings": (importer.import_readings, "codice_stabile;stagione;scala;interno;millesimi;unita;stimata;"
                                           "giorni_occupazione[;codice_nucleo]"),
    "household-data": (importer.import_household_data, "codice_nucleo;stagione;isee;solidarieta_riscaldamento"),
}


def _file():
    upload = request.files.get("file")
    raw = upload.read(MAX_FILE + 1) if upload else b""
    if len(raw) > MAX_FILE:
        raise importer.HeatingImportError([(0, _("The file is larger than 5 MB."))])
    return upload, raw


@bp.post("/seasons/<code>/temperatures")
@allow(*EQUIPE)
@body_limit(UPLOAD_LIMIT)
def season_temperatures(code):
    season = season_or_404(code)
    try:
        _upload, raw = _file()
        total = importer.degree_days_from_temperatures(raw, season)
    except importer.HeatingImportError as error:
        return season_page(season, 422, [_("Degree-days not computed: the temperature file has problems.")]
                           + [_("Row %(n)s: %(reason)s", n=n, reason=r) if n else str(r)
                              for n, r in error.errors[:50]])
    queries.update_season(code, degree_days=bounds.text(total))
    audit("heating_degree_days", target=code, detail={"degree_days": str(total)})
    flash(_("Degree-days computed from the temperatures: %(gg)s.", gg=bounds.text(total)), "success")
    return redirect(url_for("heating.season_detail", code=code), 303)


@bp.route("/import/<kind>", methods=["GET", "POST"])
@allow(*EQUIPE)
@body_limit(UPLOAD_LIMIT)
def upload(kind):
    if kind not in IMPORTS:
        abort(404)
    function, header = IMPORTS[kind]
    if request.method == "GET":
        return render("heating/import.html", kind=kind, header=header, errors=None)
    try:
        file, raw = _file()
        result = function(raw)
    except importer.HeatingImportError as error:
        return render("heating/import.html", status=422, kind=kind, header=header, errors=error.errors[:200],
                      total=len(error.errors))
    audit(f"heating_import_{kind.replace('-', '_')}", target=file.filename, detail={"result": str(result)})
    if kind == "readings":
        flash(_("Imported %(readings)s for %(buildings)s.",
                readings=ngettext("%(num)d reading", "%(num)d readings", result[0]),
                buildings=ngettext("%(num)d building", "%(num)d buildings", result[1])), "success")
    else:
        flash(ngettext("Imported %(num)d row.", "Imported %(num)d rows.", result), "success")
    season = request.form.get("season")
    if season and queries.season(season):
        return redirect(url_for("heating.reconciliation", code=season), 303)
    return redirect(url_for("heating.index"), 303)
