"""Restore drill: gunicorn under `litestream replicate -exec`, writes over HTTP, a lost disk, a lost machine."""
import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid as uuid_module
from pathlib import Path

import pytest
import requests

from fieldapp import backup, clock
from tests.conftest import DEMO_PASSWORD, ROOT, make_app
from tests.s3 import free_ports

BIN = Path(sys.executable).parent
# What an acknowledged record is made of, as restored rows are compared with the rows before the crash.
TABLES = {"visits": "SELECT * FROM visits WHERE uuid = ?", "reports": "SELECT * FROM reports WHERE uuid = ?",
          "photos": "SELECT * FROM photos WHERE uuid = ?"}


class Site:
    """One server's instance folder, and the commands an operator would type on it."""

    def __init__(self, folder, s3, bucket):
        self.folder, self.port = folder, free_ports(1)[0]
        self.database = folder / "instance" / "cortile.db"
        self.env = {k: v for k, v in os.environ.items() if k != "AWS_CA_BUNDLE"}  # see README: Litestream
        self.env.update({f"CORTILE_{k}": v for k, v in s3.config(bucket, prefix="drill/").items()})
        self.env.update({"CORTILE_DATABASE": str(self.database),
                         "CORTILE_PHOTOS_DIR": str(folder / "instance" / "photos"),
                         "CORTILE_SECRET_KEY": "drill-secret", "CORTILE_BACKUP_SYNC_INTERVAL": "1s",
                         "CORTILE_DPO_CONTACT": "rpd@comune.esempio.it"})
        self.config = folder / "litestream.yml"
        self.process = None

    def settings(self):
        """The same configuration the server gets from its CORTILE_* environment."""
        return {k[len("CORTILE_"):]: v for k, v in self.env.items() if k.startswith("CORTILE_")}

    def flask(self, *args):
        """A `flask --app wsgi ...` command on this site (in this process: a new one costs seconds)."""
        app = make_app(self.folder, **self.settings())
        done = app.test_cli_runner().invoke(args=list(args))
        assert done.exit_code == 0, done.output
        return done.output

    def start(self):
        """`litestream replicate -exec "gunicorn ..."`, as the README says to run it."""
        if not self.config.exists():
            self.flask("backup", "config", "--out", str(self.config))
        # --preload: the app is built once, then forked (two workers starting side by side cost twice)
        gunicorn = (f"{BIN / 'gunicorn'} wsgi:app -w 2 --preload -b 127.0.0.1:{self.port} --chdir {ROOT}"
                    f" --control-socket {self.folder / 'gunicorn.ctl'}")
        with open(self.folder / "serve.log", "ab") as log:
            self.process = subprocess.Popen([str(BIN / "litestream"), "replicate", "-config", str(self.config),
                                             "-exec", gunicorn], cwd=ROOT, env=self.env, start_new_session=True,
                                            stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).json()["photos"] == "ok":
                    return
            except (requests.RequestException, ValueError):
                pass
            assert self.process.poll() is None, (self.folder / "serve.log").read_text()[-2000:]
            time.sleep(0.2)
        raise AssertionError("the app did not start")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def kill_gunicorn(self):
        """kill -9 gunicorn, master and workers (orphaned workers would go on serving for seconds)."""
        master = children(self.process.pid)
        assert master, "gunicorn is not running under litestream"
        for pid in master + children(master[0]):
            os.kill(pid, signal.SIGKILL)

    def stop(self):
        """Whatever still runs of this site, killed (the test may have failed half way)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def wait_for_exit(self, timeout=20):
        self.process.wait(timeout=timeout)

    def lose_disk(self):
        shutil.rmtree(self.folder / "instance")


def children(parent):
    """The processes whose parent is `parent` (Go starts them from any thread: scan /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def sign_in(site, username="tutor.loreto"):
    session = requests.Session()
    page = session.get(f"{site.url}/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert session.post(f"{site.url}/login", data={"username": username, "password": DEMO_PASSWORD,
                                                   "csrf_token": token}, allow_redirects=False).status_code == 302
    session.headers.update({"X-CSRFToken": session.get(f"{site.url}/sync/token").json()["csrf_token"],
                            "X-Cortile-Outbox": "1"})
    return session


def new_uuid():
    return str(uuid_module.uuid4())


def write_visit(session, site, household):
    uuid = new_uuid()
    data = {"uuid": uuid, "client_created_at": "2026-11-25T09:00:00Z", "visit_date": clock.local_today().isoformat(),
            "visit_time": "09:30", "kind": "monitoring", "present_count": "2", "outcome": "held", "note": uuid,
            "followups-0-action": "", "followups-0-due_on": "", "followups-0-assignee": ""}
    response = session.post(f"{site.url}/households/{household}/visits/new", data=data, timeout=20)
    assert response.status_code == 204, response.text[:500]
    return ("visits", uuid)


def write_report_with_photo(session, site, building, photo_bytes):
    uuid, photo = new_uuid(), new_uuid()
    data = {"uuid": uuid, "client_created_at": "2026-11-25T09:00:00Z", "building": str(building), "area": "cellars",
            "category": "waste", "severity": "moderate", "description": f"Rifiuti {uuid}", "photo_uuid": photo}
    assert session.post(f"{site.url}/reports/new", data=data, timeout=20).status_code == 204
    sent = session.post(f"{site.url}/sync/photos", files={"file": ("p.jpg", photo_bytes)}, timeout=30,
                        data={"uuid": photo, "owner": "report", "owner_id": uuid, "role": "report"})
    assert sent.status_code == 201, sent.text
    return [("reports", uuid), ("photos", photo)], (photo, sent.json()["sha256"])


def rows_digest(database, records):
    """A hash of each record's stored row, by (table, uuid); missing ones are left out."""
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        found = {}
        for table, uuid in records:
            row = db.execute(TABLES[table], [uuid]).fetchone()
            if row is not None:
                found[(table, uuid)] = hashlib.sha256(repr(row).encode()).hexdigest()
        return found
    finally:
        db.close()


def places(database):
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    household = db.execute("SELECT h.id FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b "
                           "ON b.id = u.building_id WHERE b.presidio_code = 'P-BLO' AND h.active = 1 "
                           "LIMIT 1").fetchone()[0]
    building = db.execute("SELECT id FROM buildings WHERE presidio_code = 'P-BLO' LIMIT 1").fetchone()[0]
    db.close()
    return household, building


def wait_until_caught_up(site, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = backup.status({"DATABASE": str(site.database), **site.settings()}, site.config)
        if state.behind == 0:
            return
        time.sleep(0.5)
    raise AssertionError("the replica never caught up")


@pytest.fixture
def site(tmp_path, s3):
    site = Site(tmp_path, s3, s3.new_bucket())
    yield site
    site.stop()


def test_restore_drill_brings_back_every_acknowledged_record_and_photo(site, demo_db):
    from tests.test_storage_s3 import jpeg

    site.database.parent.mkdir()
    shutil.copy(demo_db, site.database)
    household, building = places(site.database)
    site.start()
    session = sign_in(site)

    # Disk loss: writes while Litestream replicates, gunicorn killed, the replica catches up, the disk goes.
    records, photos = [], {}
    for number, colour in enumerate(("navy", "olive", "teal", "maroon")):
        if number == 2:  # a point in time between the two halves, clear of both by a sync interval or two
            time.sleep(2.5)
            halfway = clock.utc_now().strftime("%Y-%m-%dT%H:%M:%SZ")
            time.sleep(2.5)
        records.append(write_visit(session, site, household))
        written, (photo, sha) = write_report_with_photo(session, site, building, jpeg(colour))
        records += written
        photos[photo] = sha
    before = rows_digest(site.database, records)
    assert len(before) == len(records) == 12
    site.kill_gunicorn()
    site.wait_for_exit()  # litestream -exec ends with its child, after a last sync
    wait_until_caught_up(site)
    site.lose_disk()
    site.database.parent.mkdir()
    site.flask("backup", "restore", "--to", str(site.database))
    assert rows_digest(site.database, records) == before  # every acknowledged row, byte for byte
    then = site.folder / "halfway.db"
    site.flask("backup", "restore", "--to", str(then), "--timestamp", halfway)
    assert rows_digest(then, records) == {key: before[key] for key in records[:6]}  # the first half only
    site.start()
    session = sign_in(site)
    for photo, sha in photos.items():
        served = session.get(f"{site.url}/photos/{photo}")
        assert served.status_code == 200 and hashlib.sha256(served.content).hexdigest() == sha

    # Machine loss: gunicorn and Litestream die together in the middle of writes.
    acknowledged, stop = [], threading.Event()

    def writer():
        while not stop.is_set():
            try:
                acknowledged.append((write_visit(session, site, household), time.monotonic()))
            except (requests.RequestException, AssertionError):
                return

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(4)
    killed_at = time.monotonic()
    os.killpg(site.process.pid, signal.SIGKILL)
    stop.set()
    thread.join(timeout=30)
    site.process.wait()
    site.lose_disk()
    site.database.parent.mkdir()
    site.flask("backup", "restore", "--to", str(site.database))
    restored = rows_digest(site.database, [record for record, _ in acknowledged])
    lost = [(record, at) for record, at in acknowledged if record not in restored]
    window = max((killed_at - at for _, at in lost), default=0.0)
    print(f"\nRPO drill: {len(acknowledged)} visits acknowledged in 4 s, {len(lost)} lost when the machine "
          f"died; the oldest lost was acknowledged {window:.1f} s before the crash (sync interval 1 s)")
    assert acknowledged and rows_digest(site.database, records) == before
    assert window <= 3.0  # only what came in the last sync interval or two can be lost
