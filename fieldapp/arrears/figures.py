"""Indicators of the arrears team, as data tables with CSV and XLSX export."""
import statistics
from datetime import date

from flask_babel import lazy_gettext as _l

from fieldapp import sheets
from fieldapp.access import allow
from fieldapp.arrears import rules, vocab
from fieldapp.arrears.blueprint import READERS, bp
from fieldapp.audit import audit
from fieldapp.db import get_db
from fieldapp.render import render


def tables():
    """Every indicator as (key, title, header, rows): the page, the CSV and the XLSX read the same data."""
    db = get_db()
    periods = [r[0] for r in db.execute("SELECT DISTINCT period FROM ledger_months ORDER BY period DESC LIMIT 12")]
    periods.reverse()
    out = []
    counts = {(r[0], r[1]): r[2] for r in db.execute(
        "SELECT period, band, COUNT(*) FROM ledger_months GROUP BY period, band")}
    out.append(("bands", _l("Households per band per month"), ["period", *vocab.BAND_ORDER, "share_over_500"],
                [[p, *(counts.get((p, b), 0) for b in vocab.BAND_ORDER),
                  _share(sum(counts.get((p, b), 0) for b in ("500_2000", "over_2000")),
                         sum(counts.get((p, b), 0) for b in vocab.BAND_ORDER))] for p in periods]))
    if len(periods) >= 2:
        moves = {(r[0], r[1]): r[2] for r in db.execute(
            """SELECT a.band, b.band, COUNT(*) FROM ledger_months a JOIN ledger_months b
               ON b.household_id = a.household_id AND b.period = ? WHERE a.period = ? GROUP BY a.band, b.band""",
            [periods[-1], periods[-2]])}
        out.append(("transitions", _l("Band transitions from %(a)s to %(b)s", a=periods[-2], b=periods[-1]),
                    ["from", *vocab.BAND_ORDER],
                    [[a, *(moves.get((a, b), 0) for b in vocab.BAND_ORDER)] for a in vocab.BAND_ORDER]))
    days = []
    for flagged, first in db.execute(
            """SELECT substr(c.flagged_at, 1, 10), MIN(k.contacted_on) FROM arrears_cases c
               JOIN arrears_contacts k USING (household_id) GROUP BY c.household_id"""):
        days.append(max(0, (date.fromisoformat(first) - date.fromisoformat(flagged)).days))
    out.append(("first_contact", _l("Days from flag to first contact"), ["cases_contacted", "median_days", "max_days"],
                [[len(days), statistics.median(days) if days else "", max(days) if days else ""]]))
    plans = dict(db.execute("SELECT status, COUNT(*) FROM repayment_plans GROUP BY status").fetchall())
    out.append(("plans", _l("Repayment plans by status"), ["status", "plans"],
                [[s, plans.get(s, 0)] for s in vocab.PLAN_STATUSES]))
    agreed = db.execute("SELECT COALESCE(SUM(debt), 0) FROM repayment_plans WHERE status != 'proposed'").fetchone()[0]
    collected = db.execute(
        """SELECT COALESCE(SUM(i.amount), 0) FROM plan_instalments i
           JOIN repayment_plans p ON p.id = i.plan_id WHERE p.status != 'proposed' AND i.number <= p.covered"""
    ).fetchone()[0] + db.execute(
        "SELECT COALESCE(SUM(down_payment), 0) FROM repayment_plans WHERE status != 'proposed' AND covered > 0"
    ).fetchone()[0]
    out.append(("money", _l("EUR agreed against EUR collected"), ["agreed_eur", "collected_eur", "share"],
                [[agreed / 100, collected / 100, _share(collected, agreed)]]))
    out.append(("over_2000", _l("Share passing 2,000 EUR within 12 months, followed against not followed"),
                ["group", "households", "passed", "share"], _passed(db, periods)))
    return out


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else ""


def _passed(db, periods):
    """Households in the early band 12 months before the latest: who passed 2,000 EUR, followed or not."""
    if not periods:
        return []
    latest = periods[-1]
    start = rules.add_months(latest, -12)
    rows = db.execute(
        """SELECT s.household_id, c.household_id IS NOT NULL AND EXISTS
                  (SELECT 1 FROM arrears_contacts k WHERE k.household_id = s.household_id),
                  EXISTS (SELECT 1 FROM ledger_months m WHERE m.household_id = s.household_id
                          AND m.period > ? AND m.period <= ? AND m.band = 'over_2000')
           FROM ledger_months s LEFT JOIN arrears_cases c ON c.household_id = s.household_id
           WHERE s.period = ? AND s.band IN ('upto_500', '500_2000')""", [start, latest, start]).fetchall()
    result = []
    for label, followed in (("followed", 1), ("not_followed", 0)):
        group = [r for r in rows if bool(r[1]) == bool(followed)]
        passed = sum(1 for r in group if r[2])
        result.append([label, len(group), passed, _share(passed, len(group))])
    return result


@bp.get("/indicators")
@allow(*READERS)
def indicators():
    return render("arrears/indicators.html", tables=tables())


@bp.get("/indicators.<any(csv, xlsx):fmt>")
@allow(*READERS)
def indicators_export(fmt):
    from openpyxl import Workbook

    data = tables()
    audit("export", target=f"arrears_indicators.{fmt}")
    if fmt == "csv":
        lines = []
        for key, title, header, rows in data:
            lines += [[key, str(title)], header, *rows, []]
        return sheets.download(sheets.csv_bytes(lines), fmt, "indicatori-morosita")
    book = Workbook()
    book.remove(book.active)
    for key, title, header, rows in data:
        sheet = book.create_sheet(key[:31])
        sheets.append(sheet, [str(title)])
        sheets.append(sheet, header)
        for row in rows:
            sheets.append(sheet, row)
    return sheets.download(sheets.workbook_bytes(book), fmt, "indicatori-morosita")
