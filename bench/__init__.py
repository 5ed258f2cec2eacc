"""What the benches share: timing, ratios against a goal, the demo data set, a signed-in session.

Each bench is a script (`.venv/bin/python bench/<name>.py`) that puts the repository on `sys.path` and
then imports these. This module imports only the standard library at load time: gunicorn loads
`bench.pages_app` through it.
"""
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEMO_PASSWORD = "demo-cortile"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# Timing -----------------------------------------------------------------------------------------------

def samples(function, runs):
    """Seconds taken by each of `runs` calls of function()."""
    taken = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        taken.append(time.perf_counter() - started)
    return taken


def timed(function, runs):
    """Median seconds of `runs` calls of function()."""
    return statistics.median(samples(function, runs))


def timed_ms(function, runs=1):
    """Median milliseconds of `runs` calls of function()."""
    return timed(function, runs) * 1000


def together(functions):
    """Seconds until every function, each in a thread of its own and all started at once, has returned."""
    threads = [threading.Thread(target=function) for function in functions]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


# Goals and printing -----------------------------------------------------------------------------------

def met(ok):
    """How every bench says whether a goal is met."""
    return "met" if ok else "NOT met"


def ratio_line(label, ours, baseline, goal):
    """`label: 1.25x (goal <= 2x: met)`: ours against the baseline of the same run."""
    ratio = ours / baseline
    return f"{label}: {ratio:.2f}x (goal <= {goal:g}x: {met(ratio <= goal)})"


def ms_line(label, seconds, runs=None, digits=0):
    """`label (median of 5): 123 ms`."""
    of = f" (median of {runs})" if runs else ""
    return f"{label}{of}: {seconds * 1000:.{digits}f} ms"


def report(*lines):
    """Print the figures, then the machine and its load as they were at the end of the run."""
    for line in lines:
        print(line)
    print(machine())


def load_average():
    """The 1-minute load average, printed with the figures: other jobs share the machine's cores."""
    return f"{os.getloadavg()[0]:.1f}"


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def machine():
    """`2 cores (AMD EPYC), load average 3.1`: the line each bench prints with its figures."""
    return f"{os.cpu_count()} cores ({cpu_model()}), load average {load_average()}"


# The demo data set ------------------------------------------------------------------------------------

def demo_app(folder, **config):
    """The app on a new database under `folder`, with the demo data set loaded."""
    from fieldapp import create_app, demo

    app = create_app({"DATABASE": f"{folder}/cortile.db", "PHOTOS_DIR": f"{folder}/photos", "SECRET_KEY": "bench",
                      "TESTING": True, "WTF_CSRF_ENABLED": False, **config})
    with app.app_context():
        demo.load()
    return app


def signed_in(app, username):
    """A test client of `app` signed in as a demo user."""
    client = app.test_client()
    client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    return client


def demo_env(folder, **settings):
    """Environment for the app in a subprocess (flask, gunicorn) on a database under `folder`."""
    return {**os.environ, "CORTILE_DATABASE": f"{folder}/cortile.db", "CORTILE_PHOTOS_DIR": f"{folder}/photos",
            "CORTILE_SECRET_KEY": "bench-secret", "CORTILE_LOGIN_MAX_FAILURES": "1000",
            "CORTILE_DPO_CONTACT": "rpd@comune.esempio.it",  # gunicorn refuses to start without it
            **{f"CORTILE_{key}": value for key, value in settings.items()}}


def load_demo(env):
    """`flask --app wsgi demo load` on the database that `env` names."""
    subprocess.run([BIN / "flask", "--app", "wsgi", "demo", "load"], cwd=ROOT, env=env, check=True,
                   capture_output=True)


# A served app -----------------------------------------------------------------------------------------

def wait_until_up(base, server=None, tries=600):
    """Wait for `base`/healthz to answer 200 (a loaded machine takes well over 10 s to boot the workers).

    With `server` (a Popen), stop waiting when it exits. Returns whether the app answered.
    """
    for _ in range(tries):
        if server is not None and server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.1)
    return False


def form_sign_in(base, username):
    """Sign in through the real login form (CSRF included): (an opener with the cookies, the jar, landing HTML)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = CSRF.search(opener.open(f"{base}/login").read().decode()).group(1)
    form = {"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    landing = opener.open(f"{base}/login", data=urllib.parse.urlencode(form).encode()).read().decode()
    return opener, jar, landing
