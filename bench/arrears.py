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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldapp import create_app  # noqa: E402
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
        app = create_app({"DATABASE": f"{folder}/cortile.db", "SECRET_KEY": "bench", "TESTING": True,
                          "WTF_CSRF_ENABLED": False, "PHOTOS_DIR": f"{folder}/photos"})
        with app.app_context():
            from fieldapp import demo
            from fieldapp.arrears.store import import_ledger

            demo.load()
            db = get_db()
            codes = [r["code"] for r in db.query("SELECT code FROM households ORDER BY code")]
            raw, count = ledger_bytes(codes, rules.add_months(local_today().strftime("%Y-%m"), -1))
            imports = []
            for _ in range(args.repeat):
                with db.atomic():
                    for table in ("arrears_flags", "ledger_months", "ledger_imports"):
                        db.execute(f"DELETE FROM {table}")
                started = time.perf_counter()
                import_ledger(raw, filename="bench.csv")
                imports.append(time.perf_counter() - started)
        raws = [raw_load(raw, f"{folder}/raw.db") for _ in range(args.repeat)]
        client = app.test_client()
        client.post("/login", data={"username": "equipe", "password": "demo-cortile"})
        client.get("/arrears/")
        pages = []
        for _ in range(20):
            started = time.perf_counter()
            assert client.get("/arrears/").status_code == 200
            pages.append(time.perf_counter() - started)
    cortile, baseline = statistics.median(imports), statistics.median(raws)
    print(f"rows: {count} (12 months x {len(codes)} households), {len(raw) // 1024} KB")
    print(f"Cortile import (median of {args.repeat}): {cortile * 1000:.0f} ms ({count / cortile:,.0f} rows/s)")
    print(f"raw csv + sqlite3 (median of {args.repeat}): {baseline * 1000:.0f} ms ({count / baseline:,.0f} rows/s)")
    print(f"ratio: {cortile / baseline:.1f}x (goal <= {GOAL:.0f}x: {'met' if cortile / baseline <= GOAL else 'NOT met'})")
    print(f"caseload page /arrears/ (median of 20): {statistics.median(pages) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
