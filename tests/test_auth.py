"""Signing in and out: hashed passwords, throttling that survives restarts, CSRF, sessions that end."""
from datetime import timedelta

from fieldapp.audit import pseudonym
from fieldapp.db import connect
from tests.conftest import DEMO_PASSWORD, make_app


def post_login(client, username, password, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})


def test_right_password_signs_in_and_header_shows_role_and_presidio(client):
    response = post_login(client, "tutor.loreto", DEMO_PASSWORD)
    assert response.status_code == 302
    page = client.get("/households/").get_data(as_text=True)
    assert "Tutor Demo Loreto" in page and "Tutor condominiale" in page and "Presidio Borgo Loreto" in page


def test_wrong_password_and_unknown_user_get_the_same_message(client):
    wrong = post_login(client, "tutor.loreto", "not-the-password")
    unknown = post_login(client, "nobody.here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    message = "Nome utente o password non corretti."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_passwords_are_stored_hashed_with_scrypt(db):
    row = next(db.query("SELECT password_hash FROM users WHERE username = 'tutor.loreto'"))
    assert row["password_hash"].startswith("scrypt:") and DEMO_PASSWORD not in row["password_hash"]


def test_five_failures_lock_the_account_even_with_the_right_password(client, db):
    for _ in range(5):
        post_login(client, "tutor.loreto", "wrong-password")
    response = post_login(client, "tutor.loreto", DEMO_PASSWORD)
    assert response.status_code == 429
    assert "Troppi tentativi non riusciti" in response.get_data(as_text=True)
    assert db["audit_log"].count_where("action = 'login_locked'") == 1


def test_lockout_holds_across_processes(app, tmp_path):
    first = app.test_client()
    for _ in range(5):
        post_login(first, "tutor.loreto", "wrong-password")
    # A second worker process: a new app on the same database file.
    other = make_app(tmp_path, db_file=app.config["DATABASE"]).test_client()
    assert post_login(other, "tutor.loreto", DEMO_PASSWORD).status_code == 429


def test_lockout_ends_after_the_lockout_period(client, db):
    for _ in range(5):
        post_login(client, "tutor.loreto", "wrong-password")
    db.execute("UPDATE login_attempts SET at = '2000-01-01T00:00:00Z'")
    assert post_login(client, "tutor.loreto", DEMO_PASSWORD).status_code == 302


def test_failed_and_successful_logins_are_audited(client, db):
    post_login(client, "tutor.loreto", "wrong-password")
    post_login(client, "tutor.loreto", DEMO_PASSWORD)
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log ORDER BY id")]
    assert actions[-2:] == ["login_failed", "login"]


def test_login_without_csrf_token_is_refused(tmp_path, demo_db):
    import shutil

    shutil.copy(demo_db, tmp_path / "c.db")
    app = make_app(tmp_path, db_file=tmp_path / "c.db", WTF_CSRF_ENABLED=True)
    client = app.test_client()
    client.get("/login")
    missing = post_login(client, "tutor.loreto", DEMO_PASSWORD)
    forged = post_login(client, "tutor.loreto", DEMO_PASSWORD, csrf_token="forged-token")
    assert missing.status_code == forged.status_code == 400
    assert "Il modulo è scaduto" in forged.get_data(as_text=True)


def test_remember_me_sets_a_lasting_cookie(client):
    response = post_login(client, "tutor.loreto", DEMO_PASSWORD, remember="y")
    assert any(c.startswith("cortile_remember=") for c in response.headers.getlist("Set-Cookie"))


def test_session_lifetime_is_configurable(tmp_path):
    app = make_app(tmp_path, SESSION_LIFETIME_HOURS=2)
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=2)


def test_session_cookie_is_httponly_and_samesite(client):
    response = post_login(client, "tutor.loreto", DEMO_PASSWORD)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookies_are_secure_behind_https(tmp_path):
    app = make_app(tmp_path, HTTPS=True)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_logout_ends_the_session(login):
    client = login("tutor.loreto")
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/households/").status_code == 302


def test_deactivating_a_user_ends_their_open_sessions(login, db):
    # The community manager: no open work to hand over first (tests/test_handover.py), so this deactivates.
    manager = login("community")
    admin = login("admin")
    user_id = next(db.query("SELECT id FROM users WHERE username = 'community'"))["id"]
    admin.post(f"/admin/users/{user_id}/active", data={"confirmed": "1"})
    assert manager.get("/meetings/").status_code == 302
    assert post_login(manager, "community", DEMO_PASSWORD).status_code == 401


def test_deactivating_a_user_is_asked_first_and_one_click_does_not_do_it(login, db):
    admin = login("admin")
    user_id = next(db.query("SELECT id FROM users WHERE username = 'community'"))["id"]
    users = admin.get("/admin/users/").get_data(as_text=True)
    assert f'href="/admin/users/{user_id}/deactivate"' in users
    assert f'action="/admin/users/{user_id}/active"' not in users  # no one-click button for an active user
    page = admin.get(f"/admin/users/{user_id}/deactivate").get_data(as_text=True)
    assert "Disattivare community?" in page and 'name="confirmed" value="1"' in page
    unconfirmed = admin.post(f"/admin/users/{user_id}/active")
    assert unconfirmed.status_code == 303 and unconfirmed.headers["Location"].endswith(f"/users/{user_id}/deactivate")
    assert next(db.query("SELECT active FROM users WHERE id = ?", [user_id]))["active"] == 1
    admin.post(f"/admin/users/{user_id}/active", data={"confirmed": "1"})
    assert next(db.query("SELECT active FROM users WHERE id = ?", [user_id]))["active"] == 0
    assert f'action="/admin/users/{user_id}/active"' in admin.get("/admin/users/").get_data(as_text=True)  # reactivate


def test_password_reset_ends_sessions_and_the_new_password_works(login, app):
    tutor = login("tutor.pagliari")
    admin = login("admin")
    db = connect(app.config["DATABASE"])
    user_id = next(db.query("SELECT id FROM users WHERE username = 'tutor.pagliari'"))["id"]
    response = admin.post(f"/admin/users/{user_id}/password",
                          data={"password": "a-new-long-password", "confirm": "a-new-long-password"})
    assert response.status_code == 302
    assert tutor.get("/households/").status_code == 302
    assert login("tutor.pagliari", "a-new-long-password")


def test_admin_creates_a_tutor_who_can_sign_in(login, db):
    admin = login("admin")
    response = admin.post("/admin/users/new", data={
        "username": "tutor.nuova", "display_name": "Tutor Nuova", "role": "tutor", "presidio": "P-SFE",
        "password": "una-password-lunga", "confirm": "una-password-lunga"})
    assert response.status_code == 302
    assert login("tutor.nuova", "una-password-lunga")
    target = pseudonym("tutor.nuova", "test-secret-key")
    assert db["audit_log"].count_where("action = 'user_created' AND target = ?", [target]) == 1


def test_a_tutor_without_presidio_is_refused(login, db):
    admin = login("admin")
    response = admin.post("/admin/users/new", data={
        "username": "tutor.senza", "display_name": "X", "role": "tutor", "presidio": "",
        "password": "una-password-lunga", "confirm": "una-password-lunga"})
    assert response.status_code == 422
    assert "Un tutor appartiene a un presidio" in response.get_data(as_text=True)
    assert db["users"].count_where("username = 'tutor.senza'") == 0


def test_login_never_redirects_off_site(client):
    response = client.post("/login?next=//evil.example/", data={"username": "tutor.loreto", "password": DEMO_PASSWORD})
    assert response.headers["Location"] == "/"
