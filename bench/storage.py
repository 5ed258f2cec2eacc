"""Photo ingest to local disk against SeaweedFS S3, per-request costs, and Litestream's replication lag.

One run, all on loopback, the app under gunicorn (2 workers x 4 threads) on a fresh demo database:
1. per-request costs with one client: a page (/reports/), a record (a visit, outbox style, 204),
   a photo (/sync/photos) to local disk and to S3 (median ms);
2. photo ingest (photos/s) with 1 and 8 phones uploading at once, PHOTO_STORE=local against
   PHOTO_STORE=s3 (a SeaweedFS started here); every photo distinct, so none is absorbed as a duplicate.
   Goal: S3 at least 0.5x local at 8 phones;
3. gunicorn under `litestream replicate -exec` with the sync bench's mix (phones sending visits, one in
   ten a report with a photo) while a probe writes a visit every 0.5 s and times how long until the
   replica on S3 holds a transaction taken after the probe was acknowledged (an upper bound on the lag
   of that write). Goal: p95 <= 2 s.
Run: .venv/bin/python bench/storage.py [--photos 12] [--lag-seconds 20]
"""
import argparse
import io
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import requests
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import (  # noqa: E402
    BIN,
    CSRF,
    DEMO_PASSWORD,
    ROOT,
    demo_env,
    load_demo,
    machine,
    met,
    timed_ms,
    together,
    wait_until_up,
)
from tests.s3 import free_ports, seaweedfs  # noqa: E402

PHOTO = ROOT.parent / "shared" / "data" / "photos" / "gps" / "DSCN0010.jpg"  # 640x480, as a phone sends it
USERS = ["tutor.loreto", "tutor.loreto2", "tutor.centro", "tutor.centro2", "tutor.pagliari", "tutor.sanfelice",
         "community", "operatore"]
PRESIDIO = {"tutor.loreto": "P-BLO", "tutor.loreto2": "P-BLO", "tutor.centro": "P-CEN", "tutor.centro2": "P-CEN",
            "tutor.pagliari": "P-PAG", "tutor.sanfelice": "P-SFE", "community": "P-BLO", "operatore": "P-BLO"}


class Variants:
    """Distinct photos, made on demand from any thread: the pipeline's output differs for each."""

    def __init__(self):
        with Image.open(PHOTO) as original:
            self.base = original.convert("RGB")
        self.counter = itertools.count()  # next() on a count is atomic: no two threads get one number

    def __next__(self):
        number = next(self.counter)
        image = self.base.copy()
        x, y = number % 600, number // 600 % 44 * 10
        ImageDraw.Draw(image).rectangle((x, y, x + 30, y + 30), fill=(number * 37 % 256, number * 91 % 256,
                                                                      number * 53 % 256))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
        return buffer.getvalue()


class Phone:
    """A signed-in device with a report of its own to add photos to."""

    def __init__(self, url, username, building, household):
        self.url, self.session = url, requests.Session()
        page = self.session.get(f"{url}/login").text
        token = CSRF.search(page).group(1)
        self.session.post(f"{url}/login", data={"username": username, "password": DEMO_PASSWORD,
                                                "csrf_token": token}, allow_redirects=False).raise_for_status()
        self.session.headers.update({"X-CSRFToken": self.session.get(f"{url}/sync/token").json()["csrf_token"],
                                     "X-Cortile-Outbox": "replay"})
        self.building, self.household = building, household
        self.report = self.new_report()

    def new_report(self):
        report = str(uuid.uuid4())
        data = {"uuid": report, "client_created_at": "2026-11-25T09:00:00Z", "building": str(self.building),
                "area": "cellars", "category": "waste", "severity": "moderate", "description": "Rifiuti in cantina"}
        assert self.session.post(f"{self.url}/reports/new", data=data).status_code == 204
        return report

    def photo(self, data, report=None):
        response = self.session.post(f"{self.url}/sync/photos", files={"file": ("p.jpg", data)},
                                     data={"uuid": str(uuid.uuid4()), "owner": "report",
                                           "owner_id": report or self.report})
        assert response.status_code == 201, response.text[:300]

    def visit(self):
        data = {"uuid": str(uuid.uuid4()), "client_created_at": "2026-11-25T09:00:00Z",
                "visit_date": date.today().isoformat(), "visit_time": "09:30", "kind": "monitoring",
                "present_count": "2", "outcome": "held", "note": "Bench", "followups-0-action": "",
                "followups-0-due_on": "", "followups-0-assignee": ""}
        response = self.session.post(f"{self.url}/households/{self.household}/visits/new", data=data)
        assert response.status_code == 204, response.text[:300]


def app_env(folder, **settings):
    """The app's environment without AWS_CA_BUNDLE: Litestream's S3 client fails with it set (docs/deployment.md)."""
    env = demo_env(folder, **settings)
    env.pop("AWS_CA_BUNDLE", None)
    return env


def places(database):
    import sqlite3

    db = sqlite3.connect(database)
    found = {}
    for presidio in ("P-BLO", "P-CEN", "P-PAG", "P-SFE"):
        row = db.execute("SELECT b.id, h.id FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b "
                         "ON b.id = u.building_id WHERE b.presidio_code = ? AND h.active = 1 LIMIT 1",
                         [presidio]).fetchone()
        if row:
            found[presidio] = row
    db.close()
    return found


def presidio_of(username, known):
    """A building and a household the user may write to."""
    return known[PRESIDIO[username]]


@contextmanager
def server(env, folder, litestream_config=None):
    """gunicorn (2 workers x 4 threads), alone or under `litestream replicate -exec`."""
    port = free_ports(1)[0]
    command = [str(BIN / "gunicorn"), "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", "--control-socket", str(folder / f"g{port}.ctl"), "wsgi:app"]
    if litestream_config:
        command = [str(BIN / "litestream"), "replicate", "-config", str(litestream_config), "-exec", " ".join(command)]
    with open(folder / "server.log", "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url
    finally:
        os.killpg(process.pid, 15)
        process.wait()


def ingest(url, phones_count, per_phone, photos, known):
    phones = [Phone(url, user, *presidio_of(user, known)) for user in USERS[:phones_count]]
    batches = [[next(photos) for _ in range(per_phone)] for _ in phones]

    def upload(phone, batch):
        for data in batch:
            phone.photo(data)

    seconds = together([lambda p=p, b=b: upload(p, b) for p, b in zip(phones, batches, strict=True)])
    return phones_count * per_phone / seconds


def replica_txid(client, bucket, prefix):
    keys = [item["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            for item in page.get("Contents", [])]
    return max((int(key.rsplit("-", 1)[1].split(".")[0], 16) for key in keys if key.endswith(".ltx")), default=0)


def local_txid(config_file, database, env):
    done = subprocess.run([str(BIN / "litestream"), "status", "-json", "-config", str(config_file), database],
                          capture_output=True, text=True, env=env)
    return int(json.loads(done.stdout)[0]["local_txid"] or "0", 16)


def lag_under_load(env, folder, weed, bucket, seconds, known, photo_source):
    """Probe lags (s) while phones send the sync bench's mix of records."""
    settings = {k[8:]: v for k, v in env.items() if k.startswith("CORTILE_")}
    from fieldapp import backup

    config_file = folder / "litestream.yml"
    config_file.write_text(backup.litestream_yaml(settings))
    # Litestream's S3 client fails with AWS_CA_BUNDLE set (see docs/deployment.md).
    ls_env = {k: v for k, v in env.items() if k != "AWS_CA_BUNDLE"}
    client, prefix = weed.client(), settings["S3_PREFIX"] + "db/"
    lags, stop, sent = [], threading.Event(), [0]
    with server(ls_env, folder, config_file) as url:
        def load(username):
            phone = Phone(url, username, *presidio_of(username, known))
            while not stop.is_set():
                for _ in range(9):
                    phone.visit()
                phone.photo(next(photo_source), report=phone.new_report())
                sent[0] += 11
        workers = [threading.Thread(target=load, args=(user,)) for user in USERS[:4]]
        for worker in workers:
            worker.start()
        probe = Phone(url, USERS[4], *presidio_of(USERS[4], known))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            probe.visit()
            acknowledged = time.monotonic()
            target = local_txid(config_file, settings["DATABASE"], ls_env) + 1  # read after the ack
            while replica_txid(client, bucket, prefix) < target and time.monotonic() - acknowledged < 30:
                time.sleep(0.05)
            lags.append(time.monotonic() - acknowledged)
            time.sleep(max(0.0, 0.5 - lags[-1]))
        stop.set()
        for worker in workers:
            worker.join()
    return lags, sent[0] / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=12, help="photos per phone in each ingest run")
    parser.add_argument("--lag-seconds", type=float, default=20)
    args = parser.parse_args()
    photos = Variants()
    with tempfile.TemporaryDirectory() as tmp, seaweedfs(Path(tmp) / "weed") as weed:
        tmp = Path(tmp)
        (tmp / "template").mkdir()
        template = tmp / "template" / "cortile.db"
        load_demo(app_env(tmp / "template"))
        known = places(template)
        rates, costs = {}, {}
        for store in ("local", "s3"):
            folder = tmp / store
            folder.mkdir()
            shutil.copy(template, folder / "cortile.db")
            env = app_env(folder, **(weed.config(weed.new_bucket()) if store == "s3" else {}))
            with server(env, folder) as url:
                phone = Phone(url, "tutor.loreto", *presidio_of("tutor.loreto", known))
                if store == "local":
                    costs["page /reports/"] = timed_ms(lambda p=phone, u=url: p.session.get(f"{u}/reports/"), 30)
                    costs["record (visit)"] = timed_ms(phone.visit, 30)
                costs[f"photo to {store}"] = timed_ms(lambda p=phone: p.photo(next(photos)), 20)
                for phones in (1, 8):
                    rates[(store, phones)] = ingest(url, phones, args.photos, photos, known)
        print("\nPer-request cost, one client (median):")
        for name, ms in costs.items():
            print(f"  {name:<20} {ms:7.1f} ms")
        print("\nPhoto ingest (photos/s):   local disk   SeaweedFS S3   S3 / local")
        for phones in (1, 8):
            local, s3 = rates[("local", phones)], rates[("s3", phones)]
            print(f"  {phones} phone(s)              {local:8.1f}     {s3:8.1f}       {s3 / local:6.2f}")
        ratio = rates[("s3", 8)] / rates[("local", 8)]
        print(f"  goal S3 >= 0.5x local at 8 phones: {met(ratio >= 0.5)} ({ratio:.2f}x)")

        folder = tmp / "lag"
        folder.mkdir()
        shutil.copy(template, folder / "cortile.db")
        bucket = weed.new_bucket()
        env = app_env(folder, **{**weed.config(bucket), "PHOTO_STORE": "local"})
        lags, load = lag_under_load(env, folder, weed, bucket, args.lag_seconds, known, photos)
        lags.sort()
        p95 = lags[min(len(lags) - 1, int(0.95 * len(lags)))]
        print(f"\nLitestream replication lag (sync-interval 1s) under {load:.0f} records/s, {len(lags)} probes:")
        print(f"  p50 {statistics.median(lags):.2f} s   p95 {p95:.2f} s   max {lags[-1]:.2f} s")
        print(f"  goal p95 <= 2 s: {met(p95 <= 2)}")
        print(machine())


if __name__ == "__main__":
    main()
