"""Documents in Italian for signature and the record: the repayment plan and the conference minutes."""
from datetime import date

from fieldapp.pdf import document, latin1


def eur(value):
    whole, rest = divmod(abs(int(value)), 100)
    return ("-" if value < 0 else "") + f"{whole:,}".replace(",", ".") + f",{rest:02d} EUR"


def day(iso):
    return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")


def _doc(title):
    doc = document(unit="mm")
    doc.set_title(latin1(title))
    doc.set_creator("Cortile")
    doc.set_compression(False)  # small documents; plain text keeps them searchable and testable
    doc.set_lang("it-IT")
    doc.set_margins(20, 18, 20)
    doc.set_auto_page_break(True, margin=20)
    doc.add_page()
    doc.set_font("helvetica", "B", 10)
    doc.cell(doc.epw, 6, latin1("Comune di Cremona - Servizio Alloggi - Equipe morosità incolpevole"),
             new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    doc.set_font("helvetica", "B", 16)
    doc.multi_cell(doc.epw, 8, latin1(title), new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    return doc


def _text(doc, text, size=11, style=""):
    doc.set_font("helvetica", style, size)
    doc.multi_cell(doc.epw, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")


def plan_pdf(plan, household, instalments):
    """The plan for signature: household code, a blank for the name, the schedule and the rules."""
    doc = _doc(f"Piano di rientro n. {plan['id']}")
    _text(doc, f"Nucleo: {household['code']}    Alloggio: {household['address']}"
               f"{', scala ' + household['scala'] if household['scala'] else ''}, interno {household['interno']}")
    doc.ln(3)
    _text(doc, "Intestatario (scrivere a mano): ______________________________________________")
    doc.ln(3)
    _text(doc, f"Debito alla data del piano: {eur(plan['debt'])}. Acconto: {eur(plan['down_payment'])}. "
               f"Importo da rateizzare: {eur(plan['debt'] - plan['down_payment'])} in {plan['instalments']} rate "
               f"mensili, con scadenza il giorno {plan['due_day']} di ogni mese e {plan['grace_days']} giorni "
               f"di tolleranza.")
    doc.ln(2)
    _text(doc, "Il nucleo si impegna a pagare, oltre alle rate, il canone e le spese correnti di ogni mese. "
               "Il piano si considera rispettato finché il totale pagato dall'inizio del piano copre il totale "
               "addebitato più le rate scadute; due mesi pagati insieme valgono entrambi. Il mancato pagamento "
               "di due rate comporta la decadenza dal piano.")
    doc.ln(3)
    doc.set_font("helvetica", "B", 11)
    widths = (20, 60, 60)
    for width, label in zip(widths, ("Rata", "Scadenza", "Importo"), strict=True):
        doc.cell(width, 7, label, border=1)
    doc.ln()
    doc.set_font("helvetica", "", 11)
    for row in instalments:
        doc.cell(widths[0], 7, str(row["number"]), border=1)
        doc.cell(widths[1], 7, day(row["due_on"]), border=1)
        doc.cell(widths[2], 7, latin1(eur(row["amount"])), border=1, align="R")
        doc.ln()
    doc.ln(4)
    _text(doc, f"Regola di calcolo: {plan['rule_version']}.", size=9)
    doc.ln(8)
    _text(doc, "Cremona, ____/____/________")
    doc.ln(8)
    _text(doc, "Firma dell'intestatario ______________________      "
               "Per il Servizio Alloggi ______________________")
    return bytes(doc.output())


def minutes_pdf(conference, items, labels):
    """The minutes: closed codes and household codes only, no names and no free text."""
    doc = _doc(f"Verbale della conferenza di caso del {day(conference['held_on'])}")
    _text(doc, f"Casi all'ordine del giorno: {len(items)}.")
    doc.ln(3)
    for item in items:
        reasons = ", ".join(labels["reasons"].get(r, r) for r in item["reasons"])
        _text(doc, item["code"], style="B")
        _text(doc, f"Motivo: {reasons}.")
        if item["decision"]:
            _text(doc, f"Decisione: {labels['decisions'].get(item['decision'], item['decision'])}. "
                       f"Referente: {item['owner_name']}. Entro il {day(item['due_on'])}.")
        else:
            _text(doc, "Decisione: non ancora presa.")
        doc.ln(2)
    return bytes(doc.output())
