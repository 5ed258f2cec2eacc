"""Exports of a season: contributions CSV/XLSX (latest version), the determina and recovery lists, the
ledger, the reconciliation.

Every export is audited and written by `fieldapp.sheets`. CSVs are UTF-8 with a BOM, `;` and decimal comma:
what Italian Excel opens.
"""
from decimal import Decimal

from flask import abort, request

from fieldapp import sheets
from fieldapp.access import allow
from fieldapp.audit import audit
from fieldapp.fields import whole_number
from fieldapp.heating import acts, queries
from fieldapp.heating import ledger_queries as ledger
from fieldapp.heating.blueprint import EQUIPE, READERS, bp, season_or_404
from fieldapp.heating.compute import season_shares
from fieldapp.heating.rules import cents, euros
from fieldapp.render import render

CSV_COLUMNS = ["household_code", "building_code", "scala", "interno", "cost_previous", "cost_current",
               "cost_current_allowed", "solidarity_deducted", "contribution", "rule", "rule_version", "version",
               "status"]


def money(value):
    """Cents or Decimal euros as '1234,56' (empty for None)."""
    if value is None:
        return ""
    amount = euros(value) if isinstance(value, int) else value.quantize(Decimal("0.01"))
    return f"{amount:.2f}".replace(".", ",")


def csv_bytes(header, rows):
    return sheets.csv_bytes([header, *rows])


def download(body, filename):
    """`filename` with its extension, which names the format."""
    stem, fmt = filename.rsplit(".", 1)
    return sheets.download(body, fmt, stem)


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
                    f"contributi-riscaldamento-{code}-v{version['version']}.csv")


def act_list(code, sign):
    """(act or None, rows) of a list: the act named by ?act=, else the open act, else what the latest
    version would put in a new act, else the last act. Rows: household_code, amount (> 0), computed,
    paid_before, reason, and the flat."""
    chosen = whole_number(request.args.get("act"))  # ASCII digits in SQLite's range, else None
    acts_of_season = ledger.acts(code)
    act = next((a for a in acts_of_season if a["id"] == chosen), None) if chosen else ledger.open_act(code)
    if act is None and not chosen:
        version = queries.latest_version(code)
        preview = [{**r, "amount_cents": r["difference_cents"], "reason": r["cause"]} for r in
                   (acts.differences(code, version["id"]) if version else []) if sign * r["difference_cents"] > 0]
        if preview:
            return None, [_line(r, sign) for r in preview]
        act = next(iter(acts_of_season), None)
    if act is None:
        return None, []
    return act, [_line(r, sign) for r in ledger.lines(act["id"], sign)]


def _line(row, sign):
    return {"household_code": row["household_code"], "amount_cents": sign * row["amount_cents"],
            "contribution_id": row["contribution_id"] if "contribution_id" in row else row["id"],
            "computed_cents": row["computed_cents"], "paid_before_cents": row["paid_before_cents"],
            "reason": row["reason"], "building_code": row["building_code"],
            "address": row["address"], "scala": row["scala"], "interno": row["interno"]}


def nothing(season, what):
    """A page that says there is nothing to list, instead of an empty file or a 404."""
    return render("heating/nothing.html", season=season, what=what)


@bp.get("/seasons/<code>/determina.csv")
@allow(*READERS)
def determina_csv(code):
    """Payments only, by household code: no names, no flat (D.Lgs 33/2013 art. 26 c.4)."""
    season = season_or_404(code)
    act, rows = act_list(code, 1)
    if not rows:
        return nothing(season, "determina")
    audit("heating_export_determina", target=code, detail={"act": act and act["id"], "rows": len(rows)})
    name = f"determina-riscaldamento-{code}-{act['id'] if act else 'bozza'}.csv"
    return download(csv_bytes(["household_code", "amount", "computed", "paid_before", "reason"],
                              [[r["household_code"], money(r["amount_cents"]), money(r["computed_cents"]),
                                money(r["paid_before_cents"]), r["reason"]] for r in rows]), name)


@bp.get("/seasons/<code>/recoveries.csv")
@allow(*READERS)
def recoveries_csv(code):
    """Recoveries only, for their own act: `amount` is the positive sum to recover."""
    season = season_or_404(code)
    act, rows = act_list(code, -1)
    if not rows:
        return nothing(season, "recoveries")
    audit("heating_export_recoveries", target=code, detail={"act": act and act["id"], "rows": len(rows)})
    name = f"recuperi-riscaldamento-{code}-{act['id'] if act else 'bozza'}.csv"
    return download(csv_bytes(["household_code", "computed", "paid_before", "amount", "reason"],
                              [[r["household_code"], money(r["computed_cents"]), money(r["paid_before_cents"]),
                                money(r["amount_cents"]), r["reason"]] for r in rows]), name)


@bp.get("/seasons/<code>/ledger.csv")
@allow(*EQUIPE)
def ledger_csv(code):
    """Every entry, with the flat: the equipe's own file, never attached to a published act."""
    season_or_404(code)
    rows = ledger.entries(code)
    audit("heating_export_ledger", target=code, detail={"rows": len(rows)})
    header = ["household_code", "building_code", "scala", "interno", "version", "amount", "kind", "reason",
              "act_number", "act_date", "credited_on", "created_by", "recovery_state"]
    return download(csv_bytes(header, [[e["household_code"], e["building_code"], e["scala"], e["interno"],
                                        e["version"] or "", money(e["amount_cents"]), e["kind"], e["reason"],
                                        e["act_number"], e["act_date"], e["credited_on"], e["username"] or "",
                                        e["recovery_state"] or ""] for e in rows]),
                    f"registro-pagamenti-riscaldamento-{code}.csv")


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
                    f"riconciliazione-riscaldamento-{code}.csv")


@bp.get("/seasons/<code>/contributions.xlsx")
@allow(*READERS)
def contributions_xlsx(code):
    from openpyxl import Workbook

    season_or_404(code)
    version, rows = latest_rows(code)
    book = Workbook()
    sheet = book.active
    sheet.title = f"Contributi {code}"
    sheets.append(sheet, CSV_COLUMNS)
    for row in rows:
        cells = contribution_cells(row)
        for i in range(4, 9):
            cells[i] = float(cells[i].replace(",", ".")) if cells[i] else None
        sheets.append(sheet, cells)
    for column in "EFGHI":
        for cell in sheet[column][1:]:
            cell.number_format = "#,##0.00"
    recon = book.create_sheet("Riconciliazione")
    sheets.append(recon, ["building_code", "flats", "readings", "estimated", "bill", "shares", "difference"])
    for r in reconciliation_rows(code):
        sheets.append(recon, [r["building_code"], r["flats"], r["readings"], r["estimated"],
                      *(None if v is None else float(euros(v)) for v in (r["bill_cents"], r["shares_cents"],
                                                                         r["difference_cents"]))])
    audit("heating_export_xlsx", target=code, detail={"version": version["version"], "rows": len(rows)})
    return download(sheets.workbook_bytes(book), f"contributi-riscaldamento-{code}-v{version['version']}.xlsx")
