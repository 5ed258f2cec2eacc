"""Exports of a season's latest version: contributions CSV/XLSX, determina list, tenant letters, reconciliation.

Every export is audited. CSVs are UTF-8 with a BOM, `;` and decimal comma: what Italian Excel opens.
"""
import csv
import io
from decimal import Decimal

from flask import Response, abort, current_app, request

from fieldapp import clock
from fieldapp.access import allow
from fieldapp.audit import audit
from fieldapp.heating import queries
from fieldapp.heating.blueprint import READERS, bp, season_or_404
from fieldapp.heating.compute import season_shares
from fieldapp.heating.rules import cents, euros
from fieldapp.pdf import document, latin1
from fieldapp.render import render

CSV_COLUMNS = ["household_code", "building_code", "scala", "interno", "cost_previous", "cost_current",
               "cost_current_allowed", "solidarity_deducted", "contribution", "rule", "rule_version", "version",
               "status"]
PAYABLE = ("approved", "in_determina", "credited")


def money(value):
    """Cents or Decimal euros as '1234,56' (empty for None)."""
    if value is None:
        return ""
    amount = euros(value) if isinstance(value, int) else value.quantize(Decimal("0.01"))
    return f"{amount:.2f}".replace(".", ",")


def csv_bytes(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def download(body, filename, mimetype):
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def latest_rows(code):
    version = queries.latest_version(code)
    if version is None:
        abort(404)
    return version, queries.contributions(version["id"])


def contribution_cells(row):
    return [row["household_code"], row["building_code"], row["scala"], row["interno"],
            money(row["cost_previous_cents"]), money(row["cost_current_cents"]),
            money(row["cost_current_allowed_cents"]), money(row["solidarity_deducted_cents"]),
            money(row["amount_cents"]), row["rule"], row["rule_version"], row["version"], row["status"]]


@bp.get("/seasons/<code>/contributions.csv")
@allow(*READERS)
def contributions_csv(code):
    season_or_404(code)
    version, rows = latest_rows(code)
    audit("heating_export_csv", target=code, detail={"version": version["version"], "rows": len(rows)})
    return download(csv_bytes(CSV_COLUMNS, [contribution_cells(r) for r in rows]),
                    f"contributi-riscaldamento-{code}-v{version['version']}.csv", "text/csv")


@bp.get("/seasons/<code>/determina.csv")
@allow(*READERS)
def determina_csv(code):
    """Household code and amount only: no names, no flat (D.Lgs 33/2013 art. 26 c.4)."""
    season_or_404(code)
    version, rows = latest_rows(code)
    payable = [r for r in rows if r["status"] in PAYABLE and r["amount_cents"]]
    audit("heating_export_determina", target=code, detail={"version": version["version"], "rows": len(payable)})
    return download(csv_bytes(["household_code", "amount"], [[r["household_code"], money(r["amount_cents"])]
                                                            for r in payable]),
                    f"determina-riscaldamento-{code}-v{version['version']}.csv", "text/csv")


def reconciliation_rows(code):
    """Per building: the bill, the households' shares (exact and rounded one by one) and the difference."""
    buildings = {}
    for row in season_shares(code):
        b = buildings.setdefault(row["building_code"], {
            "building_code": row["building_code"], "bill": None, "exact": Decimal(0), "rounded": 0,
            "readings": 0, "flats": set(), "estimated": 0})
        b["readings"] += 1
        b["flats"].add(row["unit_id"])
        b["estimated"] += row["estimated"]
        if row["share"]:
            cost, fixed, voluntary = row["share"]
            b["bill"] = cost
            b["exact"] += fixed + voluntary
            b["rounded"] += cents(fixed + voluntary)
    for bill in queries.bills(code).values():
        buildings.setdefault(bill["building_code"], {"building_code": bill["building_code"], "bill": None,
                                                     "exact": Decimal(0), "rounded": 0, "readings": 0,
                                                     "flats": set(), "estimated": 0})
    out = []
    for b in sorted(buildings.values(), key=lambda b: b["building_code"]):
        bill_cents = cents(b["bill"]) if b["bill"] is not None else None
        difference = cents(b["exact"]) - bill_cents if bill_cents is not None else None
        out.append({**b, "flats": len(b["flats"]), "bill_cents": bill_cents, "shares_cents": cents(b["exact"]),
                    "rounded_cents": b["rounded"], "difference_cents": difference,
                    "ok": difference is not None and b["readings"] > 0 and abs(difference) <= 1})
    return out


@bp.get("/seasons/<code>/reconciliation")
@allow(*READERS)
def reconciliation(code):
    season = season_or_404(code)
    rows = reconciliation_rows(code)
    estimated = [r for r in queries.readings(code) if r["estimated"]]
    return render("heating/reconciliation.html", season=season, rows=rows, estimated=estimated)


@bp.get("/seasons/<code>/reconciliation.csv")
@allow(*READERS)
def reconciliation_csv(code):
    season_or_404(code)
    rows = reconciliation_rows(code)
    audit("heating_export_reconciliation", target=code, detail={"buildings": len(rows)})
    header = ["building_code", "flats", "readings", "estimated", "bill", "shares", "shares_rounded_one_by_one",
              "difference", "ok"]
    return download(csv_bytes(header, [[r["building_code"], r["flats"], r["readings"], r["estimated"],
                                        money(r["bill_cents"]), money(r["shares_cents"]), money(r["rounded_cents"]),
                                        money(r["difference_cents"]), "1" if r["ok"] else "0"] for r in rows]),
                    f"riconciliazione-riscaldamento-{code}.csv", "text/csv")


@bp.get("/seasons/<code>/contributions.xlsx")
@allow(*READERS)
def contributions_xlsx(code):
    from openpyxl import Workbook

    season_or_404(code)
    version, rows = latest_rows(code)
    book = Workbook()
    sheet = book.active
    sheet.title = f"Contributi {code}"
    sheet.append(CSV_COLUMNS)
    for row in rows:
        cells = contribution_cells(row)
        for i in range(4, 9):
            cells[i] = float(cells[i].replace(",", ".")) if cells[i] else None
        sheet.append(cells)
    for column in "EFGHI":
        for cell in sheet[column][1:]:
            cell.number_format = "#,##0.00"
    recon = book.create_sheet("Riconciliazione")
    recon.append(["building_code", "flats", "readings", "estimated", "bill", "shares", "difference"])
    for r in reconciliation_rows(code):
        recon.append([r["building_code"], r["flats"], r["readings"], r["estimated"],
                      *(None if v is None else float(euros(v)) for v in (r["bill_cents"], r["shares_cents"],
                                                                         r["difference_cents"]))])
    buffer = io.BytesIO()
    book.save(buffer)
    audit("heating_export_xlsx", target=code, detail={"version": version["version"], "rows": len(rows)})
    return download(buffer.getvalue(), f"contributi-riscaldamento-{code}-v{version['version']}.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# The letter is for the tenants, so it is always in Italian, whatever the user's language.
LETTER = {
    "issuer": "Comune di Cremona - Servizio Alloggi",
    "subject": "Oggetto: contributo per il riscaldamento, stagione {season}",
    "intro": ("Gentile nucleo {household}, il Comune di Cremona, nell'ambito della Linea 2 (Azione 1.1) del "
              "programma, riconosce un contributo sulle spese di riscaldamento dell'alloggio in {address}, "
              "scala {scala}, interno {interno}."),
    "rows": [("Costo della stagione di riferimento ({reference})", "cost_previous"),
             ("Costo di questa stagione", "cost_current"),
             ("Costo riconosciuto", "cost_allowed"),
             ("Contributo di solidarietà già ricevuto per il riscaldamento", "solidarity"),
             ("Contributo riconosciuto", "amount")],
    "rule": {"A": "Regola applicata: paga quanto fatturato nella stagione di riferimento, in proporzione ai "
                  "giorni di occupazione; il Comune copre l'aumento.",
             "B": "Regola applicata: il consumo riconosciuto è quello della stagione di riferimento corretto "
                  "per i gradi giorno; il Comune copre l'aumento di prezzo e dovuto al clima."},
    "credit": "L'importo sarà accreditato sul suo conto inquilino. Per chiarimenti può rivolgersi al presidio "
              "del suo quartiere.",
    "reference": "Rif. {household} - stagione {season} - versione {version} - emessa il {day}",
}


def letters_pdf(rows, season):
    doc = document(unit="mm")
    doc.set_creator("Cortile")
    doc.set_lang("it")
    doc.set_margins(20, 18, 20)
    day = clock.local_today().strftime("%d/%m/%Y")
    for row in rows:
        doc.add_page()
        doc.set_font("helvetica", "B", 11)
        doc.cell(doc.epw, 6, latin1(current_app.config.get("NOTICE_ISSUER", LETTER["issuer"])),
                 new_x="LMARGIN", new_y="NEXT")
        doc.ln(8)
        doc.set_font("helvetica", "B", 14)
        doc.multi_cell(doc.epw, 7, latin1(LETTER["subject"].format(season=season["code"])),
                       new_x="LMARGIN", new_y="NEXT")
        doc.ln(4)
        doc.set_font("helvetica", size=11)
        doc.multi_cell(doc.epw, 6, latin1(LETTER["intro"].format(
            household=row["household_code"], address=row["address"], scala=row["scala"] or "-",
            interno=row["interno"])), new_x="LMARGIN", new_y="NEXT")
        doc.ln(4)
        values = {"cost_previous": row["cost_previous_cents"], "cost_current": row["cost_current_cents"],
                  "cost_allowed": row["cost_current_allowed_cents"], "solidarity": row["solidarity_deducted_cents"],
                  "amount": row["amount_cents"]}
        for label, key in LETTER["rows"]:
            if key == "cost_allowed" and row["rule"] == "A":
                continue
            doc.set_font("helvetica", "B" if key == "amount" else "", 11)
            doc.cell(doc.epw - 40, 7, latin1(label.format(reference=season["reference_season"])))
            doc.cell(40, 7, f"EUR {money(values[key])}", align="R", new_x="LMARGIN", new_y="NEXT")
        doc.ln(4)
        doc.set_font("helvetica", size=11)
        doc.multi_cell(doc.epw, 6, latin1(LETTER["rule"][row["rule"]]), new_x="LMARGIN", new_y="NEXT")
        doc.ln(2)
        doc.multi_cell(doc.epw, 6, latin1(LETTER["credit"]), new_x="LMARGIN", new_y="NEXT")
        doc.ln(8)
        doc.set_font("helvetica", size=9)
        doc.cell(doc.epw, 5, latin1(LETTER["reference"].format(household=row["household_code"], season=season["code"],
                                                               version=row["version"], day=day)))
    return bytes(doc.output())


@bp.get("/seasons/<code>/letters.pdf")
@allow(*READERS)
def letters(code):
    season = season_or_404(code)
    version, rows = latest_rows(code)
    household = request.args.get("household")
    payable = [r for r in rows if r["status"] in PAYABLE and r["amount_cents"]
               and (not household or r["household_code"] == household)]
    if not payable:
        abort(404)
    audit("heating_export_letters", target=code, detail={"version": version["version"], "letters": len(payable)})
    return download(letters_pdf(payable, season), f"lettere-riscaldamento-{code}-v{version['version']}.pdf",
                    "application/pdf")
