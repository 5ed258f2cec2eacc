"""Login throttling nobody can turn against a user, timing that hides usernames, proxies trusted by count."""
import shutil
import time

from fieldapp.audit import pseudonym
from tests.conftest import DEMO_PASSWORD, make_app

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


def attempt(client, username, password, address=None, headers=None):
    environ = {"REMOTE_ADDR": address} if address else {}
    return client.post("/login", data={"username": username, "password": password},
                       environ_base=environ, headers=headers or {})


def test_another_address_hammering_a_username_never_locks_out_its_owner(app, client):
    app.config["LOGIN_MAX_FAILURES"] = 3
    for _ in range(3):
        assert attempt(client, "tutor.loreto", "wrong-password", ATTACKER).status_code == 401
    started = time.perf_counter()
    refused = attempt(client, "tutor.loreto", DEMO_PASSWORD, ATTACKER)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert time.perf_counter() - started < 1, "a throttled request is answered at once, never held"
    # The owner, from an address with no failures, signs in while the attacker is held off.
    assert attempt(app.test_client(), "tutor.loreto", DEMO_PASSWORD, OWNER).status_code == 302


def test_an_address_trying_many_usernames_is_throttled(app, client):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    for name in ("anna.x", "bruno.y", "carla.z"):
        attempt(client, name, "wrong-password", ATTACKER)
    refused = attempt(client, "dario.w", "wrong-password", ATTACKER)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert attempt(app.test_client(), "tutor.loreto", DEMO_PASSWORD, OWNER).status_code == 302


def test_unknown_usernames_take_as_long_as_known_ones(client):
    known, unknown = [], []
    for i in range(3):
        for username, times in (("tutor.centro", known), (f"nobody.{i}", unknown)):
            started = time.perf_counter()
            assert attempt(client, username, "wrong-password").status_code == 401
            times.append(time.perf_counter() - started)
    # The fastest of each: the least disturbed by other work on the machine.
    assert min(unknown) >= 0.5 * min(known), (known, unknown)


def test_admin_sees_current_throttles_and_clears_one(app, login, db):
    app.config["LOGIN_MAX_FAILURES"] = 2
    attacker = app.test_client()
    for _ in range(2):
        attempt(attacker, "tutor.loreto", "wrong-password", ATTACKER)
    assert attempt(attacker, "tutor.loreto", "wrong-password", ATTACKER).status_code == 429
    admin = login("admin")
    page = admin.get("/admin/throttles").get_data(as_text=True)
    assert "tutor.loreto" in page and ATTACKER in page
    response = admin.post("/admin/throttles/clear", data={"username": "tutor.loreto", "ip": ATTACKER})
    assert response.status_code == 302
    assert "Nessun accesso è sospeso" in admin.get("/admin/throttles").get_data(as_text=True)
    assert attempt(attacker, "tutor.loreto", DEMO_PASSWORD, ATTACKER).status_code == 302
    target = pseudonym("tutor.loreto", "test-secret-key")
    assert db["audit_log"].count_where("action = 'throttle_cleared' AND target = ?", [target]) == 1


def app_on_copy(tmp_path, demo_db, **config):
    shutil.copy(demo_db, tmp_path / "c.db")
    return make_app(tmp_path, db_file=tmp_path / "c.db", **config)


def test_forwarded_for_is_ignored_without_a_trusted_proxy(tmp_path, demo_db):
    """By default X-Forwarded-For is the client's own word, even over HTTPS: it must not dodge throttling."""
    app = app_on_copy(tmp_path, demo_db, HTTPS=True, LOGIN_MAX_FAILURES_PER_ADDRESS=2)
    client = app.test_client()
    for name in ("anna.x", "bruno.y"):
        attempt(client, name, "wrong-password", headers={"X-Forwarded-For": ATTACKER})
    answer = attempt(client, "tutor.loreto", DEMO_PASSWORD, headers={"X-Forwarded-For": OWNER})
    assert answer.status_code == 429


def test_forwarded_for_names_the_client_behind_one_trusted_proxy(tmp_path, demo_db):
    app = app_on_copy(tmp_path, demo_db, TRUSTED_PROXIES=1, LOGIN_MAX_FAILURES=2)
    client = app.test_client()
    for _ in range(2):
        attempt(client, "tutor.loreto", "wrong-password", headers={"X-Forwarded-For": ATTACKER})
    assert attempt(client, "tutor.loreto", DEMO_PASSWORD, headers={"X-Forwarded-For": ATTACKER}).status_code == 429
    assert attempt(client, "tutor.loreto", DEMO_PASSWORD, headers={"X-Forwarded-For": OWNER}).status_code == 302
