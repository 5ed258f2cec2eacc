"""Ledger import throughput: 12 months x 558 households through the real importer, against raw csv + sqlite3.

On a fresh demo database with its ledger emptied, one CSV (Italian headers, `;`, decimal commas,
Windows-1252) holding 12 months is imported by `import_ledger` (parse, validate, bands, flags, plan
reconciliation, registry band, audit). Baseline in the same run: the csv module reading the same bytes
and sqlite3 inserting the same rows into a plain table, one transaction. Then the caseload page
(`/arrears/`, first page, signed in as the team) through the Flask test client.
Goal: the import at most 3x the raw load. Run: .venv/bin/python bench/arrears.py [--repeat 3]
"""
import argparse
import csv
import io
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import demo_app, ms_line, ratio_line, report, signed_in, timed  # noqa: E402
from fieldapp.arrears import rules  # noqa: E402
from fieldapp.clock import local_today  # noqa: E402
from fieldapp.db import get_db  # noqa: E402

GOAL = 3.0


def ledger_bytes(codes, last):
    rng = random.Random(12)
    periods = [rules.add_months(last, -n) for n in range(11, -1, -1)]
    lines = ["codice_nucleo;periodo;addebitato;pagato;saldo;crediti"]
    for code in codes:
        balance = 0
        for period in periods:
            charged = rng.randint(12_000, 40_000)
            paid = max(0, charged + rng.choice([0, 0, 0, -5_000, 5_000, -charged]))
            balance = max(-10_000, balance + charged - paid)
            lines.append(";".join([code, period, *(f"{v // 100:,}".replace(",", ".") + f",{v % 100:02d}"
                                                   for v in (charged, paid, balance)), ""]))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252"), len(lines) - 1


def raw_load(raw, path):
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS ledger (code TEXT, period TEXT, charged TEXT, paid TEXT, balance TEXT, "
               "credits TEXT)")
    db.execute("DELETE FROM ledger")
    db.commit()
    started = time.perf_counter()
    rows = list(csv.reader(io.StringIO(raw.decode("cp1252")), delimiter=";"))[1:]
    with db:
        db.executemany("INSERT INTO ledger VALUES (?, ?, ?, ?, ?, ?)", rows)
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(folder)
        with app.app_context():
            from fieldapp.arrears.store import import_ledger

            db = get_db()
            codes = [r["code"] for r in db.query("SELECT code FROM households ORDER BY code")]
            raw, count = ledger_bytes(codes, rules.add_months(local_today().strftime("%Y-%m"), -1))

            def fresh_import():
                with db.atomic():
                    for table in ("arrears_flags", "ledger_months", "ledger_imports"):
                        db.execute(f"DELETE FROM {table}")
                return timed(lambda: import_ledger(raw, filename="bench.csv"), 1)

            imports = [fresh_import() for _ in range(args.repeat)]
        raws = [raw_load(raw, f"{folder}/raw.db") for _ in range(args.repeat)]
        client = signed_in(app, "equipe")
        client.get("/arrears/")

        def caseload():
            assert client.get("/arrears/").status_code == 200

        page = timed(caseload, 20)
    cortile, baseline = statistics.median(imports), statistics.median(raws)
    report(f"rows: {count} (12 months x {len(codes)} households), {len(raw) // 1024} KB",
           ms_line("Cortile import", cortile, args.repeat) + f" ({count / cortile:,.0f} rows/s)",
           ms_line("raw csv + sqlite3", baseline, args.repeat) + f" ({count / baseline:,.0f} rows/s)",
           ratio_line("ratio", cortile, baseline, GOAL),
           ms_line("caseload page /arrears/", page, 20, digits=1))


if __name__ == "__main__":
    main()
