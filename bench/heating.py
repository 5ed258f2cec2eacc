"""Heating contributions: computing 172 flats x 2 seasons, and rendering the energy observatory.

Run: python bench/heating.py [--runs R]

A temporary database gets the demo data set (172 district-heated flats, three seasons of bills and
readings). In one run, median of R:
- app compute: `compute()` for 2024-25 and 2025-26, as the button does it (reads, rule, JSON inputs,
  a new version written);
- app arithmetic: `evaluate()` over the same households' stored inputs, in memory;
- plain Python: the same formula (Decimal, rule A) over the same rows held as tuples, no app code;
- the observatory: GET /energy/ as the coordinator, through the Flask test client.
Goal: computing at most 3x plain Python; the observatory page under 1 s.
"""
import argparse
import json
import sys
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import demo_app, machine, met, signed_in, timed  # noqa: E402


def plain_rows(inputs):
    """The rows as plain tuples: (C, alpha, m, sum m, day share, units, sum units) now and before, days."""
    def side(flat):
        b = flat["bill"]
        cost = Decimal(b["mwh"]) * Decimal(b["eur_per_mwh"]) + Decimal(b["fixed_eur"])
        share = Decimal(flat["days"]) / Decimal(flat["flat_days"])
        return (cost, Decimal(b["voluntary_share"]), Decimal(flat["millesimi"]), Decimal(flat["total_millesimi"]),
                share, Decimal(flat["units"]), Decimal(flat["total_units"]), flat["days"])
    return [(side(i["current"]), side(i["previous"]), Decimal(i["solidarity_cents"]) / 100) for i in inputs]


def plain_compute(rows):
    out = []
    for now, before, solidarity in rows:
        s = [(1 - a) * c * m / sm * ds + a * c * u / su for c, a, m, sm, ds, u, su, _d in (now, before)]
        raw = max(Decimal(0), s[0] - s[1] * Decimal(now[7]) / Decimal(before[7]))
        out.append(int(((raw - min(solidarity, raw)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cortile-bench-heating-") as folder:
        figures = measure(demo_app(folder), args.runs)
    count, plain_time, evaluate_time, compute_time, page_time = figures
    print(f"households computed: {count} (2 seasons, rule A), median of {args.runs} runs")
    print(f"plain Python arithmetic:         {plain_time * 1000:8.1f} ms")
    print(f"app arithmetic (evaluate):       {evaluate_time * 1000:8.1f} ms  "
          f"({evaluate_time / plain_time:.1f}x plain; goal <= 3x: {met(evaluate_time / plain_time <= 3)})")
    print(f"app compute (DB, JSON, version): {compute_time * 1000:8.1f} ms  ({compute_time / plain_time:.1f}x plain)")
    print(f"observatory page /energy/:       {page_time * 1000:8.1f} ms  (goal < 1000 ms: {met(page_time < 1)})")
    print(machine())


def measure(app, runs):
    """(households, plain Python, evaluate, whole compute, observatory page), in seconds."""
    with app.app_context():
        from fieldapp.db import get_db
        from fieldapp.heating.compute import compute, evaluate
        from fieldapp.heating.rules import cents

        db = get_db()

        def app_compute():
            for season in ("2024-25", "2025-26"):
                compute(season, "A")

        compute_time = timed(app_compute, runs)
        inputs = [json.loads(r["inputs"]) for r in db.query(
            """SELECT c.inputs FROM heating_contributions c WHERE c.status = 'computed' AND c.version_id IN
               (SELECT MAX(id) FROM heating_versions GROUP BY season)""")]
        evaluate_time = timed(lambda: [cents(evaluate(i)["net"]) for i in inputs], runs)
        rows = plain_rows(inputs)
        plain_time = timed(lambda: plain_compute(rows), runs)
        assert plain_compute(rows) == [cents(evaluate(i)["net"]) for i in inputs], "plain Python disagrees"
    client = signed_in(app, "coordinatrice")
    assert client.get("/energy/").status_code == 200
    page_time = timed(lambda: client.get("/energy/?season=2025-26"), runs)
    return len(inputs), plain_time, evaluate_time, compute_time, page_time


if __name__ == "__main__":
    main()
