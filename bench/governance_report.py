"""The Region report of one month at demo scale x10 and beyond: close (snapshot) and both reports.

Run: python bench/governance_report.py [--visits-factor 50] [--runs 3]

A temporary database gets the demo data set; its field records are copied (new ids, same dates) until
there are about 50k visits and 10k reports, the scale of the issue's benchmark, all of them on the demo's
months, so November alone holds some 5,800 visits (harsher than 50k spread over two years). Then, median of
R runs, for November 2026:
- the open month's report, XLSX + PDF (figures computed live: every available indicator, total and each
  disaggregation, plus staff activity);
- closing the month (snapshot of every indicator, record fingerprints, staff activity, one transaction);
- the closed month's report, XLSX + PDF (from the snapshot).
Goal: a month's report in under 5 s. Indicators: the registered ones; when none is registered (this
branch without the dashboard's), the two test-only ones of tests/governance_close_data.py.
"""
import argparse
import contextlib
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import demo_app, machine, met, timed  # noqa: E402

MULTIPLY = {"visits": "uuid", "followups": "uuid", "reports": "uuid", "meetings": "uuid",
            "pact_activities": "uuid", "plan_sessions": "uuid", "arrears_contacts": "id"}


def scale(db, factors):
    for table, key in MULTIPLY.items():
        columns = [c.name for c in db[table].columns]
        chosen = ", ".join("lower(hex(randomblob(16)))" if c == key and key == "uuid"
                           else "NULL" if c in (key, "public_token") else c for c in columns)
        base = db[table].count
        for _copy in range(factors.get(table, 10) - 1):
            db.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {chosen} FROM {table} LIMIT ?", [base])
    db.conn.commit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits-factor", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, time_machine.travel(
            datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Rome")), tick=True):
        app = demo_app(folder)
        with app.app_context():
            from fieldapp.db import get_db
            from fieldapp.governance import closing, region, region_pdf, region_xlsx
            from fieldapp.indicators.registry import available
            from tests.governance_close_data import close_indicators

            db = get_db()
            scale(db, {"visits": args.visits_factor, "followups": args.visits_factor, "reports": 80})
            print(f"visits {db['visits'].count}, reports {db['reports'].count}, followups {db['followups'].count}")
            context = close_indicators() if not available(db) else contextlib.nullcontext()
            with context:
                print(f"indicators: {len(available(db))}")
                month = closing.closable("2026-11")
                coordinator = db.execute("SELECT id FROM users WHERE role = 'coordinator'").fetchone()[0]
                user = type("User", (), {"id": coordinator, "is_authenticated": False})()

                def report():
                    content = region.build(db, month)
                    region_xlsx.workbook(content)
                    region_pdf.summary(content)

                live = timed(report, args.runs)
                locking = timed(lambda: closing.lock(db, month, user, acknowledged=True), 1)
                frozen = timed(report, args.runs)
                page = timed(lambda: closing.changes_after_close(db, month, closing.lock_of(db, "2026-11")), args.runs)
    print(f"open month report (live, XLSX+PDF): {live:.2f} s")
    print(f"close the month (snapshot):          {locking:.2f} s")
    print(f"closed month report (snapshot):      {frozen:.2f} s")
    print(f"changes after close (page data):     {page:.2f} s")
    print("goal: report under 5 s:", met(max(live, frozen) < 5))
    print(machine())


if __name__ == "__main__":
    main()
