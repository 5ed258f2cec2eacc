"""Page latency under load: gunicorn (2 workers) on the demo database, 50 signed-in clients (wrk).

Baseline in the same server and run: a bare Flask endpoint that does nothing. Prints p50/p95 and
requests/s for the household list, a household page and live search, and each ratio to the bare
endpoint, with the CPU time per request the workers used (from /proc). Goal: p95 <= 3x bare at 50
concurrent clients. The four targets run in interleaved rounds (3) and each figure is the median of the
rounds: the bare endpoint's p95 alone moved by half between two runs of one idle minute. Absolute times
follow the machine's load, printed with them.
Run: .venv/bin/python bench/pages.py [--seconds 10] [--connections 50] [--rounds 3]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import BIN, ROOT, demo_env, form_sign_in, load_average, load_demo, machine, met, wait_until_up  # noqa: E402

LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f\\n", summary.requests, summary.errors.status
    + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"], check=True)
    else:
        sys.exit("wrk is missing: apt-get install wrk")


def sign_in(base, username="tutor.loreto"):
    """A session cookie for a demo user, through the real login form (CSRF included), and one of their households."""
    opener, jar, _landing = form_sign_in(base, username)
    household = re.search(r'href="/households/(\d+)"', opener.open(f"{base}/households/").read().decode()).group(1)
    return "; ".join(f"{c.name}={c.value}" for c in jar), household


def worker_cpu_seconds(server):
    """CPU time used so far by gunicorn's workers, recycled ones included (Linux /proc).

    The live workers' own time, plus the master's cutime + cstime: the time of the workers it has reaped
    (gunicorn replaces a worker after max_requests, several times in a run).
    """
    def times(pid, children=False):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[13]) + int(fields[14]) if children else int(fields[11]) + int(fields[12])

    total = times(server.pid, children=True)
    for pid in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split():
        try:
            total += times(pid)
        except OSError:  # exited just now: its time is in the master's next reading
            continue
    return total / os.sysconf("SC_CLK_TCK")


def wrk(url, cookie, seconds, connections, script, server):
    # A long timeout: wrk drops requests slower than its default 2 s from the latencies, which would
    # flatter p95 on a loaded machine.
    before = worker_cpu_seconds(server)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", script,
         "-H", f"Cookie: {cookie}", url],
        capture_output=True, text=True, check=True,
    ).stdout
    cpu = worker_cpu_seconds(server) - before
    requests, errors, duration, p50, p95 = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out).groups()
    return {"rps": int(requests) / float(duration), "errors": int(errors), "p50": float(p50), "p95": float(p95),
            "cpu_ms": cpu / max(int(requests), 1) * 1000}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of all four targets, interleaved; each figure is the median of the rounds")
    args = parser.parse_args()
    ensure_wrk()
    load_before = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        env = demo_env(tmp)
        load_demo(env)
        port = 5077
        server = subprocess.Popen(
            [BIN / "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "bench.pages_app:app"],
            cwd=ROOT, env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, server)
            cookie, household = sign_in(base)
            script = Path(tmp) / "report.lua"
            script.write_text(LUA)
            targets = {
                "bare endpoint (baseline)": "/_bare",
                "household list": "/households/",
                "household page": f"/households/{household}",
                "live search (htmx)": "/households/?q=Sardagna",
            }
            # Interleaved rounds: a burst of other load on the machine falls on every target alike.
            rounds = [{name: wrk(base + path, cookie, args.seconds, args.connections, str(script), server)
                       for name, path in targets.items()} for _ in range(args.rounds)]
        finally:
            server.terminate()
            server.wait()
    baseline = "bare endpoint (baseline)"
    results = {name: {key: statistics.median(r[name][key] for r in rounds) for key in rounds[0][name]}
               for name in rounds[0]}
    ratios = {name: sorted(r[name]["p95"] / r[baseline]["p95"] for r in rounds) for name in rounds[0]}
    bare = results[baseline]
    print(f"\n{args.connections} concurrent signed-in clients, {args.seconds} s each, gunicorn 2 workers, "
          f"{machine()} after ({load_before} before); median of {args.rounds} interleaved round(s) "
          f"(p95 / bare of each round in brackets)\n")
    # CPU per request in the workers: what p95 follows at saturation, and far less moved by other load.
    print(f"{'page':<26}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p95 / bare':>12}{'errors':>8}"
          f"{'CPU ms/req':>12}{'CPU / bare':>12}")
    worst = 0
    for name, r in results.items():
        ratio = r["p95"] / bare["p95"]
        if name != "bare endpoint (baseline)":
            worst = max(worst, ratio)
        print(f"{name:<26}{r['rps']:>8.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}{ratio:>11.2f}x{r['errors']:>8.0f}"
              f"{r['cpu_ms']:>12.2f}{r['cpu_ms'] / bare['cpu_ms']:>11.2f}x"
              f"  ({' '.join(f'{x:.2f}' for x in ratios[name])})")
    print(f"\nGoal p95 <= 3x bare: {met(worst <= 3)} (worst {worst:.2f}x)")


if __name__ == "__main__":
    main()
