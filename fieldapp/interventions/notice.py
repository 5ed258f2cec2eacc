"""The notice for the building entrance: always in Italian (it is for the tenants), as HTML and as an A4 PDF."""
from datetime import date

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from fieldapp import clock
from fieldapp.interventions.vocab import GENERAL_INSTRUCTIONS, NOTICE_TITLES, TENANT_INSTRUCTIONS
from fieldapp.pdf import document, latin1
from fieldapp.reports.api import AREAS

ISSUER = "Comune di Cremona - Servizio Alloggi"
NOTICE_LOCALE = "it"
BLUE = (0, 102, 204)


def hour(value):
    """"08:30" -> "8:30", as a notice writes the time."""
    return value.lstrip("0") if value[:2] != "00" else value[1:]


def sheets(intervention, reports, buildings, names=True):
    """One notice per building the intervention touches, and per scala where a building has several."""
    notices = []
    for building in buildings:
        own = [r for r in reports if r["building_id"] == building["id"]]
        scale = building["scale"] if len(building["scale"]) > 1 else [""]
        notices += [content(intervention, own or reports, building, scala, names) for scala in scale]
    return notices


def content(intervention, reports, building=None, scala="", names=True):
    """Every line of one notice, in Italian, for the HTML page and the PDF alike.

    `building` (default: the intervention's own) and `scala` say which entrance the sheet is for;
    `names=False` leaves out the tutor's name (the copy e-mailed to the contractor names nobody).
    """
    areas = [code for code in AREAS if code in {r["area"] for r in reports}]
    issued = clock.local_today()
    place = building or {"address": intervention["address"], "presidio_name": intervention["presidio_name"],
                         "presidio_address": intervention["presidio_address"]}
    with force_locale(NOTICE_LOCALE):
        day = format_date(date.fromisoformat(intervention["scheduled_on"]), "EEEE d MMMM y")
        contact = [_("Presidio: %(name)s", name=place["presidio_name"]) + (
            f", {place['presidio_address']}" if place["presidio_address"] else "")
        ] if place["presidio_name"] else []
        if intervention["tutor_name"] and names:
            contact.append(_("Condominium tutor: %(name)s", name=intervention["tutor_name"]))
        instructions = [str(line) for line in TENANT_INSTRUCTIONS.get(intervention["kind"], [])]
        if intervention["tenant_instructions"]:
            instructions.append(intervention["tenant_instructions"])
        instructions += [str(line) for line in GENERAL_INSTRUCTIONS]
        return {
            "issuer": current_app.config.get("NOTICE_ISSUER", ISSUER),
            "heading": _("Notice to residents"),
            "title": str(NOTICE_TITLES.get(intervention["kind"], NOTICE_TITLES["other"])),
            "intro": _("On the day and at the times below, a firm appointed by the Comune will carry out "
                       "this work in your building."),
            "when_label": _("When"),
            "when": _("%(day)s, from %(start)s to %(end)s", day=day, start=hour(intervention["time_from"]),
                      end=hour(intervention["time_to"])),
            "where_label": _("Where"),
            "where": _("%(address)s, staircase %(scala)s", address=place["address"], scala=scala)
                     if scala else place["address"],
            "scala": scala,
            "areas": (_("Common areas: %(areas)s", areas=", ".join(str(AREAS[a]).lower() for a in areas))
                      if areas else _("The common areas of the building")),
            "firm_label": _("Firm carrying out the work"),
            "firm": intervention["contractor_name"],
            "todo_label": _("What residents must do"),
            "instructions": instructions,
            "contact_label": _("For information"),
            "contact": contact,
            "thanks": _("Thank you for your cooperation."),
            "reference": _("Ref. intervention no. %(id)s - notice issued on %(day)s",
                           id=intervention["id"], day=format_date(issued, "dd/MM/y")),
        }


def _footer(doc):
    doc.set_y(-14)
    doc.set_font("helvetica", size=9)
    doc.set_text_color(80, 80, 80)
    doc.cell(0, 6, doc.reference, align="C")


def pdf(notices, compress=True):
    """The notices as an A4 PDF (bytes), one page each, with fpdf2's built-in Helvetica (Latin-1 accents)."""
    notices = [notices] if isinstance(notices, dict) else notices
    doc = document(footer=_footer, unit="mm")
    doc.set_compression(compress)
    first = notices[0]
    doc.reference = latin1(first["reference"])  # the same on every sheet of one intervention
    doc.set_title(latin1(f"{first['heading']} - {first['title']}"))
    doc.set_author(latin1(first["issuer"]))
    doc.set_creator("Cortile")
    doc.set_lang(NOTICE_LOCALE)
    doc.set_margins(20, 18, 20)
    doc.set_auto_page_break(True, margin=20)
    for notice in notices:
        page(doc, notice)
    return bytes(doc.output())


def page(doc, notice):
    """One notice on a new A4 page."""
    doc.add_page()
    width = doc.epw

    doc.set_font("helvetica", "B", 11)
    doc.cell(width, 6, latin1(notice["issuer"]), new_x="LMARGIN", new_y="NEXT")
    doc.set_draw_color(*BLUE)
    doc.set_line_width(1.2)
    doc.line(doc.l_margin, doc.get_y() + 2, doc.l_margin + width, doc.get_y() + 2)
    doc.ln(10)
    doc.set_text_color(*BLUE)
    doc.set_font("helvetica", "B", 34)
    doc.multi_cell(width, 14, latin1(notice["heading"].upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    doc.ln(2)
    doc.set_font("helvetica", "B", 22)
    doc.multi_cell(width, 10, latin1(notice["title"]), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(6)
    doc.set_font("helvetica", size=13)
    doc.multi_cell(width, 7, latin1(notice["intro"]), new_x="LMARGIN", new_y="NEXT")

    def section(label, lines, size=15, style="B"):
        doc.ln(5)
        doc.set_font("helvetica", "B", 11)
        doc.set_text_color(*BLUE)
        doc.cell(width, 6, latin1(label.upper()), new_x="LMARGIN", new_y="NEXT")
        doc.set_text_color(0, 0, 0)
        doc.set_font("helvetica", style, size)
        for line in lines:
            doc.multi_cell(width, size * 0.5, latin1(line), new_x="LMARGIN", new_y="NEXT")

    section(notice["when_label"], [notice["when"]], size=18)
    section(notice["where_label"], [notice["where"], notice["areas"]])
    section(notice["firm_label"], [notice["firm"]], size=13)
    doc.ln(5)
    doc.set_font("helvetica", "B", 11)
    doc.set_text_color(*BLUE)
    doc.cell(width, 6, latin1(notice["todo_label"].upper()), new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    doc.set_font("helvetica", size=13)
    for line in notice["instructions"]:
        doc.cell(6, 7, "-")
        doc.multi_cell(width - 6, 7, latin1(line), new_x="LMARGIN", new_y="NEXT")
    if notice["contact"]:
        section(notice["contact_label"], notice["contact"], size=12, style="")
    doc.ln(8)
    doc.set_font("helvetica", "I", 13)
    doc.cell(width, 7, latin1(notice["thanks"]), new_x="LMARGIN", new_y="NEXT")
