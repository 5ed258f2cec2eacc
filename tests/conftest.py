"""Fixtures: a fresh temporary database per test (copied from a demo template), clients per role,
and the real app served on a free port for Debian's Chromium driven by Playwright."""
import os
import shutil
import subprocess
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from jinja2 import BytecodeCache
from werkzeug.serving import make_server

from fieldapp import create_app
from fieldapp.db import connect

# Fixtures shared by a few modules: the arrears team's module-wide demo copy, a real SeaweedFS, a real
# SMTP server.
pytest_plugins = ["tests.arrears_data", "tests.s3", "tests.smtp"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PHOTOS = SHARED / "data" / "photos"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
DEMO_PASSWORD = "demo-cortile"
ROME = ZoneInfo("Europe/Rome")

# Every test runs on this clock, never on the real day: a Wednesday morning in Cremona.
PINNED = datetime(2026, 11, 18, 10, 30, tzinfo=ROME)
# The date-sensitive tests also run on these: every weekday, month and year ends, the DST changes.
EDGE_MOMENTS = [
    *(datetime(2026, 11, day, 10, 30, tzinfo=ROME) for day in range(16, 23)),  # Monday to Sunday
    datetime(2026, 11, 30, 23, 45, tzinfo=ROME),   # month end, late evening
    datetime(2026, 12, 31, 23, 50, tzinfo=ROME),   # year end
    datetime(2027, 1, 1, 0, 10, tzinfo=ROME),      # new year, still 31 Dec in UTC
    datetime(2027, 3, 28, 3, 30, tzinfo=ROME),     # DST starts in Rome (02:00 -> 03:00)
    datetime(2026, 10, 25, 2, 30, tzinfo=ROME),    # DST ends (the 02:00-03:00 hour twice)
]


@pytest.fixture(scope="session", autouse=True)
def pinned_clock():
    """The server's clock (fieldapp.clock, demo data, the live server) pinned to PINNED; it ticks."""
    with time_machine.travel(PINNED, tick=True) as traveller:
        yield traveller


@pytest.fixture
def moment(request):
    """Parametrize with EDGE_MOMENTS (indirect): the test runs with the clock moved there."""
    with time_machine.travel(request.param, tick=True):
        yield request.param


def _reuse_url_builders():
    """Compile each route's URL builder once per test process instead of once per app.

    Werkzeug turns every rule into Python source and compiles it whenever an app is made: that is
    most of create_app's time, and nearly every test makes an app. The compiled builder depends only
    on the rule's parsed form, its defaults and the flag, so reusing it changes no behaviour.
    """
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    builders = {}

    def cached(self, append_unknown=True):
        key = (self.rule, self.subdomain, self.host, tuple(self._trace), repr(self.defaults), append_unknown)
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    Rule._compile_builder = cached


_reuse_url_builders()


class _SharedTemplateCode(BytecodeCache):
    """Compiled templates kept for every app of this test process (Jinja checks the source's checksum).

    Each test's app has its own Jinja environment, which would otherwise parse and compile every
    template it renders again: most of a short test's time.
    """

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = _SharedTemplateCode()


def make_app(tmp_path, db_file=None, template_cache=TEMPLATE_CODE, **config):
    """An app on its own database and photo folder under tmp_path.

    template_cache=None keeps the app's own compiled-template cache (on disk, as in production).
    """
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE": str(db_file or tmp_path / "cortile.db"),
        "PHOTOS_DIR": str(tmp_path / "photos"),
        "WTF_CSRF_ENABLED": False,
    }
    settings.update(config)
    app = create_app(settings)
    if template_cache is not None:
        app.jinja_env.bytecode_cache = template_cache
    return app


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """A database with the demo data set, built once; tests get copies."""
    folder = tmp_path_factory.mktemp("demo")
    app = make_app(folder)
    with app.app_context():
        from fieldapp import demo

        demo.load()
    db = connect(app.config["DATABASE"])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return Path(app.config["DATABASE"])


@pytest.fixture
def app(tmp_path, demo_db):
    """The app on a fresh copy of the demo database."""
    target = tmp_path / "cortile.db"
    shutil.copy(demo_db, target)
    return make_app(tmp_path, db_file=target)


@pytest.fixture
def empty_app(tmp_path):
    """The app on a new, empty database (schema only)."""
    return make_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def demo_sessions():
    """Session cookies of demo users, signed in once through the real form (scrypt is slow on purpose)."""
    return {}


def signer(app, demo_sessions):
    """sign_in("tutor.loreto") -> a test client of `app` signed in as that demo user."""

    def sign_in(username, password=DEMO_PASSWORD):
        client = app.test_client()
        if password == DEMO_PASSWORD and username in demo_sessions:
            # Same secret key and same user ids in every copy of the demo database; the server-side
            # session record is copied into this test's database with the cookie.
            cookie, record = demo_sessions[username]
            client.set_cookie("session", cookie)
            database = connect(app.config["DATABASE"])
            database["sessions"].insert(record, ignore=True)
            database.close()
            return client
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, f"could not sign in as {username}"
        if password == DEMO_PASSWORD:
            database = connect(app.config["DATABASE"])
            record = next(database.query("SELECT * FROM sessions ORDER BY id DESC LIMIT 1"))
            database.close()
            record.pop("id")
            demo_sessions[username] = (client.get_cookie("session").value, record)
        return client

    return sign_in


@pytest.fixture
def login(app, demo_sessions):
    """login("tutor.loreto") -> a test client signed in as that demo user."""
    return signer(app, demo_sessions)


@pytest.fixture
def db(app):
    """A connection to the test's database, for assertions and setup."""
    database = connect(app.config["DATABASE"])
    yield database
    database.close()


# --- Browser tests -------------------------------------------------------------------------

def ensure_chromium():
    """Find Debian's Chromium, installing it when running as root; never skip silently."""
    if not os.path.exists(CHROMIUM) and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"], check=True)
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    return CHROMIUM


class LiveServer:
    """The real app on a free port, in a daemon thread; counts the requests it serves."""

    def __init__(self, app):
        self.app = app
        self.requests = []
        inner = app.wsgi_app

        def counting(environ, start_response):
            self.requests.append((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")))
            return inner(environ, start_response)

        app.wsgi_app = counting
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def count(self, method=None, prefix=""):
        return sum(1 for m, p in self.requests if (method is None or m == method) and p.startswith(prefix))

    def stop(self):
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, demo_db):
    folder = tmp_path_factory.mktemp("live")
    target = folder / "cortile.db"
    shutil.copy(demo_db, target)
    server = LiveServer(make_app(folder, db_file=target, WTF_CSRF_ENABLED=True))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": ensure_chromium(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A phone: small touch screen, Italian."""
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True,
            "has_touch": True, "device_scale_factor": 2, "locale": "it-IT"}


@pytest.fixture(autouse=True)
def browser_clock(request):
    """Browser tests: the page's clock starts where the server's does, so both agree on the day."""
    if "page" in request.fixturenames:
        request.getfixturevalue("context").clock.install(time=datetime.now(ROME))


def sign_in_page(page, base_url, username, password=DEMO_PASSWORD):
    """Sign a Playwright page in through the real form, as a person would."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


@pytest.fixture
def signed_in(page, base_url):
    """signed_in("tutor.loreto") -> the Playwright page, signed in as that demo user."""
    return lambda username, password=DEMO_PASSWORD: sign_in_page(page, base_url, username, password)


def eventually(check, timeout=15, interval=0.1, message="timed out"):
    """Poll `check()` until it returns something truthy, and return that (the outbox works in the background).

    In Python, not in the page: a map page's CSP forbids the eval that Playwright's wait_for_function uses.
    """
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, message
        time.sleep(interval)
    return result
