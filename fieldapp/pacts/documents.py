"""The printable pact (PDF, in Italian, for signature) and the photos of its activities."""
import io

from flask import abort, send_file
from flask_babel import force_locale
from flask_babel import gettext as _

from fieldapp.access import allow
from fieldapp.audit import audit
from fieldapp.db import is_uuid
from fieldapp.pacts import queries, vocab
from fieldapp.pacts.blueprint import READERS, bp, pact_or_404
from fieldapp.pdf import document, latin1
from fieldapp.photos import queries as photo_queries
from fieldapp.photos.routes import send_photo
from fieldapp.reports.api import AREAS


def italian_date(iso):
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else "-"


def build_pdf(pact, commitments):
    """The pact as a PDF document: who, where, what each side commits to, and room for signatures."""
    pdf = document()
    pdf.set_title(latin1(_("Collaboration agreement for the care of common goods")))
    pdf.set_creator("Cortile")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, latin1(_("Collaboration agreement for the care of common goods")),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 11)
    place = pact["place_name"]
    if pact["place_kind"] == "building":
        place = f"{AREAS.get(pact['common_area'], pact['common_area'])}, {pact['building_address']}"
    facts = [
        (_("Common good"), place),
        (_("Quartiere"), pact["quartiere_name"]),
        (_("Kind of pact"), vocab.KINDS.get(pact["kind"], pact["kind"])),
        (_("Municipal office that signs"), vocab.OFFICES.get(pact["office"], pact["office"])),
        (_("Number of signatories"), str(pact["signatories"])),
        (_("Proposed on"), italian_date(pact["proposed_on"])),
        (_("Runs until"), italian_date(pact["ends_on"])),
        (_("Status"), vocab.STATUSES[pact["status"]]),
    ]
    for label, value in facts:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(60, 7, latin1(label))
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 7, latin1(value), new_x="LMARGIN", new_y="NEXT")
    for side, label in vocab.SIDES.items():
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, latin1(_("Commitments: %(side)s", side=label)), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        rows = [c for c in commitments if c["side"] == side]
        for c in rows:
            frequency = vocab.FREQUENCIES.get(c["frequency"], c["frequency"])
            pdf.multi_cell(0, 6, latin1(f"- {c['role']}: {c['action']} ({frequency})"), new_x="LMARGIN", new_y="NEXT")
        if not rows:
            pdf.multi_cell(0, 6, latin1(_("None yet.")), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 10)
    notice = _("The names of the signatories are kept by the municipal office, not in this document.")
    pdf.multi_cell(0, 5, latin1(notice), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(90, 7, latin1(_("For the residents")))
    pdf.cell(0, 7, latin1(_("For the Comune di Cremona")), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.cell(90, 7, "______________________")
    pdf.cell(0, 7, "______________________")
    return bytes(pdf.output())


@bp.get("/<int:pact_id>/pact.pdf")
@allow(*READERS)
def pact_pdf(pact_id):
    pact = pact_or_404(pact_id)
    with force_locale("it"):  # the document for signature is in Italian, whatever the interface
        data = build_pdf(pact, queries.commitments(pact_id))
    audit("pact_printed", target=str(pact_id))
    return send_file(io.BytesIO(data), mimetype="application/pdf", download_name=f"patto-{pact_id}.pdf")


@bp.get("/photos/<uuid>")
@allow(*READERS)
def activity_photo(uuid):
    """The thumbnail of an activity's photo, for those who may read its pact."""
    photo = photo_queries.photo(uuid) if is_uuid(uuid) else None
    if photo is None or photo["owner"] != "pact_activity":
        abort(404)
    activity = queries.activity(photo["owner_id"])
    if activity is None:
        abort(404)
    pact_or_404(activity["pact_id"])
    return send_photo(photo, thumbnail=True)
