"""Letters to the tenants, always in Italian: a payment's letter, and a recovery's notice that opens the
procedure (L. 241/1990 art. 7 and 8: the reason, the act, the office, a term for observations, how to pay)."""
from flask import current_app, request
from flask_babel import force_locale

from fieldapp import clock
from fieldapp.access import allow
from fieldapp.audit import audit
from fieldapp.heating import ledger_queries as ledger
from fieldapp.heating import queries
from fieldapp.heating.blueprint import READERS, bp, season_or_404
from fieldapp.heating.outputs import act_list, download, money, nothing
from fieldapp.heating.vocab import cause_label
from fieldapp.pdf import document, latin1

ISSUER = "Comune di Cremona - Servizio Alloggi"
LETTER = {
    "subject": "Oggetto: contributo per il riscaldamento, stagione {season}",
    "intro": ("Gentile nucleo {household}, il Comune di Cremona, nell'ambito della Linea 2 (Azione 1.1) del "
              "programma, riconosce un contributo sulle spese di riscaldamento dell'alloggio in {address}, "
              "scala {scala}, interno {interno}."),
    "rows": [("Costo della stagione di riferimento ({reference})", "cost_previous"),
             ("Costo di questa stagione", "cost_current"),
             ("Costo riconosciuto", "cost_allowed"),
             ("Contributo di solidarietà già ricevuto per il riscaldamento", "solidarity"),
             ("Contributo riconosciuto per la stagione", "computed"),
             ("Già accreditato", "paid_before"),
             ("Importo di questa determina", "amount")],
    "rule": {"A": "Regola applicata: paga quanto fatturato nella stagione di riferimento, in proporzione ai "
                  "giorni di occupazione; il Comune copre l'aumento.",
             "B": "Regola applicata: il consumo riconosciuto è quello della stagione di riferimento corretto "
                  "per i gradi giorno; il Comune copre l'aumento di prezzo e dovuto al clima."},
    "act": "Determina n. {number} del {date}.",
    "credit": "L'importo sarà accreditato sul suo conto inquilino. Per chiarimenti può rivolgersi al presidio "
              "del suo quartiere.",
    "reference": "Rif. {household} - stagione {season} - versione {version} - emessa il {day}",
}
NOTICE = {
    "subject": ("Oggetto: avvio del procedimento di recupero di una parte del contributo per il riscaldamento, "
                "stagione {season} (artt. 7 e 8 L. 241/1990)"),
    "intro": ("Gentile nucleo {household}, per l'alloggio in {address}, scala {scala}, interno {interno}, il "
              "contributo per il riscaldamento della stagione {season} è stato ricalcolato. Le comunichiamo "
              "l'avvio del procedimento per recuperare quanto accreditato in eccesso."),
    "rows": [("Contributo riconosciuto per la stagione", "computed"), ("Già accreditato", "paid_before"),
             ("Importo da restituire", "amount")],
    "reason": "Motivo del ricalcolo: {reason}.",
    "acts": "Atti di pagamento: {payments}. Atto di recupero: {recovery}.",
    "office": ("Ufficio competente: {issuer}; responsabile del procedimento: il dirigente del Servizio Alloggi "
               "o un suo delegato. Può prendere visione degli atti presso il Servizio Alloggi."),
    "observations": ("Entro {days} giorni dal ricevimento di questa comunicazione può presentare osservazioni "
                     "scritte e documenti (art. 10 L. 241/1990) al Servizio Alloggi o al presidio del suo "
                     "quartiere. Ne terremo conto prima di concludere il procedimento."),
    "pay": ("Concluso il procedimento, l'importo si restituisce con l'avviso pagoPA che le sarà inviato, oppure "
            "con addebito sul conto inquilino insieme al canone, anche a rate da concordare con il Servizio "
            "Alloggi."),
}


def _head(doc, issuer, subject):
    doc.add_page()
    doc.set_font("helvetica", "B", 11)
    doc.cell(doc.epw, 6, latin1(issuer), new_x="LMARGIN", new_y="NEXT")
    doc.ln(8)
    doc.set_font("helvetica", "B", 13)
    doc.multi_cell(doc.epw, 7, latin1(subject), new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    doc.set_font("helvetica", size=11)


def _text(doc, text, size=11):
    doc.set_font("helvetica", size=size)
    doc.multi_cell(doc.epw, 6, latin1(text), new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)


def _amounts(doc, rows, values, bold):
    for label, key in rows:
        if values.get(key) is None:
            continue
        doc.set_font("helvetica", "B" if key == bold else "", 11)
        doc.cell(doc.epw - 40, 7, latin1(label))
        doc.cell(40, 7, f"EUR {money(values[key])}", align="R", new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)


def letters_pdf(lines, season, act):
    doc = document(unit="mm")
    doc.set_creator("Cortile")
    doc.set_lang("it")
    doc.set_margins(20, 18, 20)
    day = clock.local_today().strftime("%d/%m/%Y")
    issuer = current_app.config.get("NOTICE_ISSUER", ISSUER)
    for line in lines:
        row = queries.contribution(line["contribution_id"])
        _head(doc, issuer, LETTER["subject"].format(season=season["code"]))
        _text(doc, LETTER["intro"].format(household=line["household_code"], address=line["address"],
                                          scala=line["scala"] or "-", interno=line["interno"]))
        values = {"cost_previous": row["cost_previous_cents"], "cost_current": row["cost_current_cents"],
                  "cost_allowed": row["cost_current_allowed_cents"] if row["rule"] == "B" else None,
                  "solidarity": row["solidarity_deducted_cents"], "computed": line["computed_cents"],
                  "paid_before": line["paid_before_cents"] or None, "amount": line["amount_cents"]}
        _amounts(doc, [(label.format(reference=season["reference_season"]), key) for label, key in LETTER["rows"]],
                 values, "amount")
        _text(doc, LETTER["rule"][row["rule"]])
        if act and act["determina_number"]:
            _text(doc, LETTER["act"].format(number=act["determina_number"], date=_day(act["determina_date"])))
        _text(doc, LETTER["credit"])
        _text(doc, LETTER["reference"].format(household=line["household_code"], season=season["code"],
                                              version=row["version"], day=day), size=9)
    return bytes(doc.output())


def _day(iso):
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else ""


def notices_pdf(lines, season, act):
    doc = document(unit="mm")
    doc.set_compression(False)  # a few pages; plain text keeps them searchable
    doc.set_creator("Cortile")
    doc.set_lang("it")
    doc.set_margins(20, 18, 20)
    issuer = current_app.config.get("NOTICE_ISSUER", ISSUER)
    days = current_app.config["HEATING_RECOVERY_OBSERVATION_DAYS"]
    recovery = (f"n. {act['recovery_number']} del {_day(act['recovery_date'])}" if act and act["recovery_number"]
                else "in corso di adozione")
    with force_locale("it"):
        for line in lines:
            paid = sorted({(e["act_number"], e["act_date"]) for e in ledger.entries(season["code"],
                                                                                     line["household_code"])
                           if e["kind"] == "payment"})
            _head(doc, issuer, NOTICE["subject"].format(season=season["code"]))
            _text(doc, NOTICE["intro"].format(household=line["household_code"], address=line["address"],
                                              scala=line["scala"] or "-", interno=line["interno"],
                                              season=season["code"]))
            _amounts(doc, NOTICE["rows"], {"computed": line["computed_cents"], "paid_before": line["paid_before_cents"],
                                           "amount": line["amount_cents"]}, "amount")
            _text(doc, NOTICE["reason"].format(reason=cause_label(line["reason"])))
            _text(doc, NOTICE["acts"].format(
                payments=", ".join(f"determina n. {n} del {_day(d)}" for n, d in paid) or "-", recovery=recovery))
            _text(doc, NOTICE["office"].format(issuer=issuer))
            _text(doc, NOTICE["observations"].format(days=days))
            _text(doc, NOTICE["pay"])
            _text(doc, f"Rif. {line['household_code']} - stagione {season['code']} - emessa il "
                       f"{clock.local_today().strftime('%d/%m/%Y')}", size=9)
    return bytes(doc.output())


def _chosen(lines):
    household = request.args.get("household")
    return [line for line in lines if not household or line["household_code"] == household]


@bp.get("/seasons/<code>/letters.pdf")
@allow(*READERS)
def letters(code):
    season = season_or_404(code)
    act, lines = act_list(code, 1)
    lines = _chosen(lines)
    if not lines:
        return nothing(season, "letters")
    audit("heating_export_letters", target=code, detail={"act": act and act["id"], "letters": len(lines)})
    return download(letters_pdf(lines, season, act), f"lettere-riscaldamento-{code}.pdf")


@bp.get("/seasons/<code>/notices.pdf")
@allow(*READERS)
def notices(code):
    season = season_or_404(code)
    act, lines = act_list(code, -1)
    lines = _chosen(lines)
    if not lines:
        return nothing(season, "notices")
    audit("heating_export_notices", target=code, detail={"act": act and act["id"], "notices": len(lines)})
    return download(notices_pdf(lines, season, act), f"avvisi-recupero-riscaldamento-{code}.pdf")
