"""A safe first start: gunicorn with four workers on a new database starts every time; `db upgrade` says
what it applied."""
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
FLASK = ROOT / ".venv" / "bin" / "flask"
STARTS = 10
WORKERS = 4
CRASH_SIGNS = ("Traceback", "Worker exiting", "Worker failed to boot", "exited with code", "already exists")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(folder):
    return {**os.environ, "CORTILE_DATABASE": str(folder / "cortile.db"),
            "CORTILE_PHOTOS_DIR": str(folder / "photos"), "CORTILE_SECRET_KEY": "first-start-test",
            "CORTILE_DPO_CONTACT": "rpd@comune.esempio.it"}


def start(folder):
    """gunicorn -w 4 with the repository's gunicorn.conf.py, plus a line logged by each booted worker."""
    folder.mkdir()
    config = folder / "gunicorn.test.py"
    config.write_text(
        f"exec(open({str(ROOT / 'gunicorn.conf.py')!r}).read())\n"
        "def post_worker_init(worker):\n    worker.log.info('worker ready')\n")
    port = free_port()
    with open(folder / "gunicorn.log", "w") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", str(config), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
             "--access-logfile", "/dev/null", "wsgi:app"],
            cwd=ROOT, env=environment(folder), stdout=log, stderr=subprocess.STDOUT)
    return process, port, folder / "gunicorn.log"


def before_stop(log):
    """The log up to the test's own SIGTERM: workers exiting after it is the normal shutdown."""
    return log.read_text().split("Handling signal: term", 1)[0]


def healthz(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status
    except OSError:
        return None


def wait_until_up(process, port, log, deadline):
    """Every worker booted (its line in the log) and /healthz answers 200; or the reason it did not."""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return "gunicorn exited"
        text = before_stop(log)
        if any(sign in text for sign in CRASH_SIGNS):
            return "a worker crashed"
        if text.count("worker ready") >= WORKERS and healthz(port) == 200:
            return "up"
        time.sleep(0.1)
    return "timed out"


def stop(process):
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def test_gunicorn_with_four_workers_starts_every_time_on_a_new_database(tmp_path):
    outcomes = []
    # Two starts at a time: each master imports the app's code on one core.
    for pair in range(0, STARTS, 2):
        started = [start(tmp_path / f"start{n}") for n in (pair, pair + 1)]
        deadline = time.monotonic() + 90  # generous: a loaded CI machine, not a normal start
        try:
            for process, port, log in started:
                outcomes.append(wait_until_up(process, port, log, deadline))
        finally:
            for process, _port, _log in started:
                stop(process)
        for _process, _port, log in started:
            text = before_stop(log)
            assert not [sign for sign in CRASH_SIGNS if sign in text], text
            assert text.count("Booting worker") == WORKERS, text
    assert outcomes == ["up"] * STARTS


def test_db_upgrade_on_a_new_database_prints_the_migrations_it_applied(tmp_path):
    env = environment(tmp_path)
    first = subprocess.run([str(FLASK), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    applied = [line for line in first.stdout.splitlines() if line.startswith("applied ")]
    assert "applied cortile.core:" in first.stdout and "applied cortile.auth:" in first.stdout
    assert f"Applied {len(applied)} migration(s)." in first.stdout
    assert "up to date" not in first.stdout
    again = subprocess.run([str(FLASK), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    assert again.stdout.strip() == "Database is up to date."
