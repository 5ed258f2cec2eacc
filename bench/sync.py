"""Outbox replay throughput: 1,000 queued field records (10% reports with a photo) sent to the real app.

The app runs under gunicorn (2 workers x 4 threads) on a fresh demo database, on loopback. Each
simulated phone replays its queue as outbox.js does: one fresh CSRF token from /sync/token, then the
records oldest first, one at a time (form-encoded, `X-Cortile-Outbox: replay`, answered 204), each
report followed by its photo on /sync/photos. With --phones N, N phones replay at once (the presidio's
WiFi at the end of the day). Then the same queue again: every record is a duplicate the uuid absorbs.

Baseline in the same run: raw sqlite3 inserts of the same rows (one transaction per record, as the
app does, same journal settings). Prints records/s for each and the ratio. Goal: >= 200 records/s.
Run: .venv/bin/python bench/sync.py [--records 1000] [--phones 1 4]
"""
import argparse
import http.client
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import BIN, CSRF, DEMO_PASSWORD, ROOT, demo_env, load_demo, machine, met, together, wait_until_up  # noqa: E402

PHOTO = ROOT.parent / "shared" / "data" / "photos" / "gps" / "DSCN0010.jpg"  # 640x480, as a phone sends it
PHONES = ["tutor.loreto", "tutor.loreto2", "tutor.centro", "tutor.centro2", "tutor.pagliari", "tutor.sanfelice"]
GOAL = 200


class Phone:
    """One signed-in device: a keep-alive connection, its cookies, its queue."""

    def __init__(self, port, username):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = {}
        self.username = username
        self.queue = []
        self.retries = 0

    def request(self, method, path, body=None, headers=None):
        headers = {**(headers or {}), "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # The server closed an idle keep-alive connection: open another and send again
            # (the uuid makes a second copy harmless, as for the outbox).
            self.connection.close()
            self.connection.connect()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        return response.status, response.headers, data

    def sign_in(self):
        _status, _headers, page = self.request("GET", "/login")
        token = CSRF.search(page.decode()).group(1)
        form = urllib.parse.urlencode({"username": self.username, "password": DEMO_PASSWORD, "csrf_token": token})
        status, _headers, _body = self.request("POST", "/login", form,
                                               {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, f"cannot sign in as {self.username}"

    def replay(self):
        """As outbox.js: a fresh token, then each record (and its photo) oldest first."""
        status, _headers, body = self.request("GET", "/sync/token")
        assert status == 200
        token = json.loads(body)["csrf_token"]
        answers = []
        for record in self.queue:
            fields = urllib.parse.urlencode([*record["fields"], ("csrf_token", token)], doseq=True)
            answers.append(self.send(record["action"], fields, {
                "Content-Type": "application/x-www-form-urlencoded", "X-Cortile-Outbox": "replay"}))
            if record.get("photo"):
                body, content_type = multipart(record["photo"])
                answers.append(self.send("/sync/photos", body, {
                    "Content-Type": content_type, "X-CSRFToken": token, "X-Cortile-Outbox": "replay"}))
        return answers

    def send(self, path, body, headers):
        """POST until the server acknowledges: a 5xx keeps the record for another try, as the outbox does
        (which waits 15 s and more; here 20 ms, to measure the server)."""
        while True:
            status, _headers, _body = self.request("POST", path, body, headers)
            if status < 500:
                return status
            self.retries += 1
            time.sleep(0.02)


def multipart(fields):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        if isinstance(value, bytes):
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="photo.jpg"\r\n'
                         f"Content-Type: image/jpeg\r\n\r\n".encode() + value + b"\r\n")
        else:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def queue_for(phone, db_path, count, photo):
    """`count` records of this phone's presidio: visits, and every tenth a report with one photo."""
    db = sqlite3.connect(db_path)
    presidio = db.execute("SELECT presidio_code FROM users WHERE username = ?", [phone.username]).fetchone()[0]
    households = [r[0] for r in db.execute(
        "SELECT h.id FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id "
        "WHERE b.presidio_code = ? AND h.active = 1 ORDER BY h.id", [presidio])]
    building = db.execute("SELECT id FROM buildings WHERE presidio_code = ? LIMIT 1", [presidio]).fetchone()[0]
    db.close()
    today = date.today().isoformat()
    for n in range(count):
        record_uuid = str(uuid.uuid4())
        if n % 10 == 9:
            photo_uuid = str(uuid.uuid4())
            phone.queue.append({"table": "reports", "uuid": record_uuid, "action": "/reports/new", "fields": [
                ("uuid", record_uuid), ("client_created_at", "2026-11-25T10:00:00Z"), ("building", building),
                ("area", "cellars"), ("category", "waste"), ("severity", "moderate"),
                ("description", f"Rifiuti in cantina, segnalazione {n}"), ("photo_uuid", photo_uuid)],
                "photo": {"uuid": photo_uuid, "owner": "report", "owner_id": record_uuid, "role": "report",
                          "client_created_at": "2026-11-25T10:00:00Z", "file": photo}})
        else:
            household = households[n % len(households)]
            phone.queue.append({"table": "visits", "uuid": record_uuid,
                                "action": f"/households/{household}/visits/new", "fields": [
                ("uuid", record_uuid), ("client_created_at", "2026-11-25T10:00:00Z"), ("visit_date", today),
                ("visit_time", f"{8 + n % 10:02d}:{n % 60:02d}"), ("kind", "monitoring"), ("present_count", "1"),
                ("outcome", "held"), ("note", f"Visita {n} salvata senza rete"),
                ("followups-0-action", ""), ("followups-0-due_on", ""), ("followups-0-assignee", "")]})


def replay_all(phones):
    """(seconds, statuses) for every phone replaying its queue at once."""
    results = {}
    seconds = together([lambda p=p: results.__setitem__(p.username, p.replay()) for p in phones])
    return seconds, [s for answers in results.values() for s in answers]


def raw_inserts(db_path, template, records):
    """The same rows the app stored, inserted again with bare sqlite3: one transaction per record."""
    source = sqlite3.connect(db_path)
    source.row_factory = sqlite3.Row
    rows = []
    for record in records:
        row = dict(source.execute(f"SELECT * FROM {record['table']} WHERE uuid = ?", [record["uuid"]]).fetchone())
        photo = None
        if record.get("photo"):
            photo = dict(source.execute("SELECT * FROM photos WHERE uuid = ?", [record["photo"]["uuid"]]).fetchone())
        rows.append((record["table"], row, photo))
    source.close()
    db = sqlite3.connect(template, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    start = time.perf_counter()
    for table, row, photo in rows:
        db.execute("BEGIN")
        db.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        if photo:
            db.execute(f"INSERT INTO photos ({', '.join(photo)}) VALUES ({', '.join('?' * len(photo))})",
                       list(photo.values()))
        db.execute("COMMIT")
    seconds = time.perf_counter() - start
    db.close()
    return seconds


def stored(db_path, records):
    db = sqlite3.connect(db_path)
    counts = {}
    for table in ("visits", "reports"):
        uuids = [r["uuid"] for r in records if r["table"] == table]
        counts[table] = sum(db.execute(f"SELECT COUNT(*) FROM {table} WHERE uuid = ?", [u]).fetchone()[0]
                            for u in uuids)
    counts["photos"] = sum(db.execute("SELECT COUNT(*) FROM photos WHERE uuid = ?", [r["photo"]["uuid"]]).fetchone()[0]
                           for r in records if r.get("photo"))
    db.close()
    return counts


def run(port, tmp, total, phones_count, photo):
    db_path = f"{tmp}/cortile.db"
    phones = [Phone(port, PHONES[i % len(PHONES)]) for i in range(phones_count)]
    for phone in phones:
        phone.sign_in()
        queue_for(phone, db_path, total // phones_count, photo)
    records = [r for p in phones for r in p.queue]
    template = f"{tmp}/baseline-{phones_count}.db"
    subprocess.run(["cp", f"{tmp}/template.db", template], check=True)

    seconds, statuses = replay_all(phones)
    bad = [s for s in statuses if s not in (201, 204)]
    retries = sum(p.retries for p in phones)
    counts = stored(db_path, records)
    expected = {"visits": sum(r["table"] == "visits" for r in records),
                "reports": sum(r["table"] == "reports" for r in records),
                "photos": sum(bool(r.get("photo")) for r in records)}
    again, duplicate_statuses = replay_all(phones)
    raw = raw_inserts(db_path, template, records)
    rate, raw_rate = len(records) / seconds, len(records) / raw
    print(f"\n{phones_count} phone(s) replaying {len(records)} records ({expected['photos']} with a photo):")
    print(f"  app (gunicorn, loopback)  {rate:8.0f} records/s   {seconds:6.2f} s   unexpected answers: {len(bad)}"
          f"   5xx retried: {retries}")
    print(f"  replayed again (dupes)    {len(records) / again:8.0f} records/s   {again:6.2f} s   "
          f"answers: {sorted(set(duplicate_statuses))}")
    print(f"  raw sqlite3 inserts       {raw_rate:8.0f} records/s   {raw:6.2f} s")
    print(f"  ratio app / raw sqlite3   {rate / raw_rate:8.3f}")
    once = counts == expected and stored(db_path, records) == expected
    print(f"  stored exactly once       {'yes' if once else counts}")
    print(f"  goal >= {GOAL} records/s    {met(rate >= GOAL)}")
    return rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--phones", type=int, nargs="+", default=[1, 4])
    args = parser.parse_args()
    target = "wsgi:app"
    photo = PHOTO.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        env = demo_env(tmp)
        load_demo(env)
        subprocess.run(["cp", f"{tmp}/cortile.db", f"{tmp}/template.db"], check=True)
        port = 5078
        log = open(f"{tmp}/server.log", "w")
        server = subprocess.Popen(
            [BIN / "gunicorn", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
             target], cwd=ROOT, env=env, stderr=log)
        try:
            wait_until_up(f"http://127.0.0.1:{port}", server)
            for phones in args.phones:
                run(port, tmp, args.records, phones, photo)
        finally:
            server.terminate()
            server.wait()
            log.close()
            errors = Path(f"{tmp}/server.log").read_text()
            print(f"\nserver errors logged: {errors.count('unhandled error')}"
                  f" ({errors.count('database is locked')} of them 'database is locked')")
    print(machine())


if __name__ == "__main__":
    main()
