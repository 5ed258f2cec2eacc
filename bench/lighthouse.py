"""Lighthouse (mobile preset) on the field pages, against gunicorn as docs/deployment.md deploys it.

Starts gunicorn with gunicorn.conf.py on a copy of the demo data, signs in as the role that uses each
page, and runs Lighthouse 12.2.3 (bench/package.json, installed here on first use) twice per page: a
first visit (empty cache) and a repeat visit (cache and service worker kept). Each page is run --runs
times (3) and the run with the median first-visit performance is shown, with the range over all runs:
simulated throttling varies from run to run, more on a busy machine. Prints every score, FCP, LCP, TBT
and the bytes transferred, with the machine's load average. Tiles are not counted; with no TILE_URL
(the default here) the map draws none.
Run: .venv/bin/python bench/lighthouse.py [--pages login,map] [--runs 3] [--tile-url URL] [--json OUT] [--dump DIR]
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import BIN, ROOT, demo_env, form_sign_in, load_demo, machine, wait_until_up  # noqa: E402

BENCH = ROOT / "bench"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# page -> (user who uses it, path; {h} is one of that user's households). The first eight are the main page of
# each role (where its bottom bar starts) and run by default; the others on request (--pages).
PAGES = {
    "tutor": ("tutor.loreto", "/households/"),
    "operator": ("operatore", "/reports/?status=new"),
    "community": ("community", "/meetings/"),
    "coordinator": ("coordinatrice", "/governance/"),
    "equipe": ("equipe", "/arrears/"),
    "educator": ("educatore", "/plans/"),
    "aler": ("aler", "/governance/aler"),
    "admin": ("admin", "/admin/users/"),
    "login": (None, "/login"),
    "household page": ("tutor.loreto", "/households/{h}"),
    "visit form": ("tutor.loreto", "/households/{h}/visits/new"),
    "report form": ("tutor.loreto", "/reports/new"),
    "agenda": ("tutor.loreto", "/agenda"),
    "map": ("operatore", "/map"),
}
ROLE_PAGES = list(PAGES)[:8]
# Pages with a map (Leaflet, drawn after the page) have goals of their own.
MAPS = {"map", "coordinator"}
GOALS = {"performance": 95, "accessibility": 100, "bestPractices": 100, "bytes": 150_000}
MAP_GOALS = {"performance": 90, "accessibility": 100, "bestPractices": 100}


def ensure_lighthouse():
    if not (BENCH / "node_modules/lighthouse").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=BENCH, check=True)


def start_server(tmp, port, tile_url):
    env = {**demo_env(tmp, TILE_URL=tile_url, DPO_CONTACT="rpd@comune.esempio.it"),
           "GUNICORN_BIND": f"127.0.0.1:{port}"}
    load_demo(env)
    server = subprocess.Popen([BIN / "gunicorn", "-c", "gunicorn.conf.py", "--log-level", "warning",
                               "--access-logfile", "/dev/null", "wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    up = wait_until_up(base, server, tries=200)
    if up and server.poll() is None:  # answered by our gunicorn, not by something else on the port
        return server, base
    if server.poll() is not None:
        sys.exit("gunicorn did not start (see above)")
    server.terminate()
    sys.exit("gunicorn did not answer /healthz")


def cookies_for(base, username):
    """The session cookies of a demo user, through the real login form, and one of their households."""
    if username is None:
        return [], None
    _opener, jar, landing = form_sign_in(base, username)
    household = re.search(r'href="/households/(\d+)"', landing)
    cookies = [{"name": c.name, "value": c.value, "domain": "127.0.0.1", "path": "/"} for c in jar]
    return cookies, household and household.group(1)


def verdict(name, r):
    goals = MAP_GOALS if name in MAPS else GOALS
    misses = [k for k, goal in goals.items() if r[k] is None or (r[k] > goal if k == "bytes" else r[k] < goal)]
    return "ok" if not misses else "MISS " + ",".join(misses)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default=",".join(ROLE_PAGES),
                        help="comma-separated, of: " + ", ".join(PAGES) + " (default: the main page of each role)")
    parser.add_argument("--tile-url", default="", help="TILE_URL for the map (its requests are not counted)")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--dump", help="write each step's whole Lighthouse report (JSON) into this folder")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs per page; the run with the median first-visit performance is reported (default 3)")
    args = parser.parse_args()
    chosen = [p.strip() for p in args.pages.split(",")]
    ensure_lighthouse()
    if not args.port:
        with socket.socket() as probe:  # other benches may run on this machine: never a fixed port
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        server, base = start_server(tmp, args.port, args.tile_url)
        try:
            sessions = {}
            job = {"chrome": CHROME, "runs": args.runs, "dump": args.dump and str(Path(args.dump).resolve()),
                   "pages": []}
            if args.dump:
                Path(args.dump).mkdir(parents=True, exist_ok=True)
            for name in chosen:
                role, path = PAGES[name]
                if role not in sessions:
                    sessions[role] = cookies_for(base, role)
                cookies, household = sessions[role]
                ignore = args.tile_url.split("{", 1)[0] if args.tile_url else None
                job["pages"].append({"name": name, "url": base + path.format(h=household), "cookies": cookies,
                                     "ignore": ignore})
            (Path(tmp) / "job.json").write_text(json.dumps(job))
            out = subprocess.run(["node", str(BENCH / "lighthouse.mjs"), str(Path(tmp) / "job.json")],
                                 cwd=BENCH, env={**os.environ, "CHROME_PATH": CHROME},
                                 capture_output=True, text=True)
            if out.returncode:
                sys.exit(out.stderr[-3000:])
            results = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
        finally:
            server.terminate()
            server.wait()
    load_after = os.getloadavg()
    if args.json:
        Path(args.json).write_text(json.dumps({"load": [load_before, load_after], "results": results}, indent=1))
    print(f"\nLighthouse 12.2.3, mobile preset (simulated slow 4G, 4x CPU), gunicorn -c gunicorn.conf.py, "
          f"{machine()} after ({load_before[0]:.1f} before); "
          f"{args.runs} run(s) per page, the median run shown (perf range: lowest-highest of the runs)\n")
    print(f"{'page':<16}{'visit':<8}{'perf':>5}{'range':>8}{'a11y':>5}{'BP':>5}{'FCP ms':>8}{'LCP ms':>8}{'TBT ms':>8}"
          f"{'KB':>7}{'static KB':>10}{'reqs':>5}  goals")
    for r in results:
        for visit, data in (("first", r["first"]), ("repeat", r["repeat"])):
            if data["performance"] is None or data["error"]:
                print(f"{r['name']:<16}{visit:<8} Lighthouse error: {data['error']}")
                continue
            if visit == "first":
                goal = verdict(r["name"], data)
            else:
                goal = "ok" if data["staticBytes"] == 0 else "MISS static bytes"
            low, high = r[f"{visit}Range"]
            print(f"{r['name']:<16}{visit:<8}{data['performance']:>5}{f'{low}-{high}':>8}{data['accessibility']:>5}"
                  f"{data['bestPractices']:>5}{data['fcpMs']:>8}{data['lcpMs']:>8}{data['tbtMs']:>8}"
                  f"{data['bytes'] / 1000:>7.1f}"
                  f"{data['staticBytes'] / 1000:>10.1f}{data['requests']:>5}  {goal}")
            if "/login" in data["url"] and r["name"] != "login":
                print(f"  ! landed on the sign-in page: {data['url']}")
    for r in results:
        if r["first"]["failed"]:
            print(f"{r['name']}: audits below 100: {', '.join(r['first']['failed'])}")


if __name__ == "__main__":
    main()
