"""Sessions that end on the server: logout, remember-me tokens, expiry, role changes, sign out everywhere."""
from datetime import timedelta

import time_machine

from fieldapp import clock
from fieldapp.audit import pseudonym
from tests.conftest import DEMO_PASSWORD

PAGE = "/households/"


def signed_in(client):
    """Whether the client gets the tutor's page (not a redirect to the sign-in page)."""
    return client.get(PAGE).status_code == 200


def remember_cookies(response):
    """The remember-me cookies a response sets, whatever their name: {name: value}."""
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name, _eq, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if "remember" in name and value:
            found[name] = value
    return found


def with_cookies(app, cookies):
    """A new browser holding only these cookies (a copy taken by someone else)."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def user_id(db, username):
    return next(db.query("SELECT id FROM users WHERE username = ?", [username]))["id"]


def test_a_copied_session_cookie_is_dead_after_logout(login, app):
    owner = login("tutor.loreto")
    thief = with_cookies(app, {"session": owner.get_cookie("session").value})
    assert signed_in(thief)
    owner.post("/logout")
    assert not signed_in(thief)
    assert not signed_in(owner)


def test_a_remember_token_alone_is_dead_after_logout(client, app):
    response = client.post("/login", data={"username": "tutor.loreto", "password": DEMO_PASSWORD,
                                           "remember": "y"})
    tokens = remember_cookies(response)
    assert tokens, "remember me sets a cookie"
    # Before logout the token alone signs in (and is exchanged for a successor).
    copy = with_cookies(app, tokens)
    first = copy.get(PAGE)
    assert first.status_code == 200
    successor = remember_cookies(first)
    assert successor and successor != tokens
    client.post("/logout")
    assert not signed_in(with_cookies(app, tokens))
    assert not signed_in(with_cookies(app, successor)), "the whole chain ends at logout"


def test_a_rotated_token_works_for_60_seconds_then_never(client, app, db):
    response = client.post("/login", data={"username": "tutor.loreto", "password": DEMO_PASSWORD,
                                           "remember": "y"})
    token = remember_cookies(response)
    first = with_cookies(app, token).get(PAGE)
    assert first.status_code == 200
    successor = remember_cookies(first)
    # A parallel request of the same phone, still carrying the old token.
    assert signed_in(with_cookies(app, token))
    with time_machine.travel(clock.utc_now() + timedelta(seconds=61), tick=True):
        assert not signed_in(with_cookies(app, token))
        # A replay after the grace period means a copy exists: the chain is revoked.
        assert not signed_in(with_cookies(app, successor))
    assert db["remember_tokens"].count_where("revoked_at IS NULL") == 0


def test_a_session_past_its_expiry_is_refused_by_the_server(login, app, db):
    tutor = login("tutor.loreto")
    assert signed_in(tutor)
    db.execute("UPDATE sessions SET expires_at = '2026-01-01T00:00:00Z'")
    assert not signed_in(tutor)


def test_a_new_presidio_ends_sessions_and_remember_tokens(login, client, app, db):
    response = client.post("/login", data={"username": "tutor.loreto", "password": DEMO_PASSWORD,
                                           "remember": "y"})
    token = remember_cookies(response)
    other = login("tutor.centro")
    admin = login("admin")
    # A new name alone keeps the user signed in.
    other_id = user_id(db, "tutor.centro")
    response = admin.post(f"/admin/users/{other_id}/edit",
                          data={"display_name": "Tutor Rinominata", "role": "tutor", "presidio": "P-CEN"})
    assert response.status_code == 302 and signed_in(other)
    assert "Tutor Rinominata" in other.get(PAGE).get_data(as_text=True)

    tutor_id = user_id(db, "tutor.loreto")
    response = admin.post(f"/admin/users/{tutor_id}/edit",
                          data={"display_name": "Tutor Loreto", "role": "tutor", "presidio": "P-SFE"})
    assert response.status_code == 302
    assert not signed_in(client)
    assert not signed_in(with_cookies(app, token))
    row = next(db.query("SELECT display_name, presidio_code FROM users WHERE id = ?", [tutor_id]))
    assert row == {"display_name": "Tutor Loreto", "presidio_code": "P-SFE"}
    target = pseudonym("tutor.loreto", "test-secret-key")
    assert db["audit_log"].count_where("action = 'user_updated' AND target = ?", [target]) == 1


def test_a_role_change_ends_sessions(login, db):
    operator = login("operatore")
    admin = login("admin")
    response = admin.post(f"/admin/users/{user_id(db, 'operatore')}/edit",
                          data={"display_name": "Operatore", "role": "aler", "presidio": ""})
    assert response.status_code == 302
    assert operator.get("/reports/").status_code == 302
    assert next(db.query("SELECT role FROM users WHERE username = 'operatore'"))["role"] == "aler"


def test_editing_a_user_into_a_tutor_without_presidio_is_refused(login, db):
    admin = login("admin")
    operator_id = user_id(db, "operatore")
    before = list(db.query("SELECT * FROM users WHERE id = ?", [operator_id]))
    response = admin.post(f"/admin/users/{operator_id}/edit",
                          data={"display_name": "Altro", "role": "tutor", "presidio": ""})
    assert response.status_code == 422
    assert "Un tutor appartiene a un presidio" in response.get_data(as_text=True)
    assert list(db.query("SELECT * FROM users WHERE id = ?", [operator_id])) == before


def test_the_edit_page_shows_the_current_values(login, db):
    page = login("admin").get(f"/admin/users/{user_id(db, 'tutor.loreto')}/edit").get_data(as_text=True)
    assert 'value="Tutor Demo Loreto"' in page and '<option selected value="P-BLO">' in page


def test_a_user_signs_out_everywhere_from_their_account_page(login, client, app, db):
    phone = login("tutor.loreto")
    client.post("/login", data={"username": "tutor.loreto", "password": DEMO_PASSWORD})
    page = phone.get("/account").get_data(as_text=True)
    assert page.count('data-testid="session"') == 2 and "questo dispositivo" in page
    response = phone.post("/account/sign-out-everywhere")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert not signed_in(phone) and not signed_in(client)
    assert db["audit_log"].count_where("action = 'signed_out_everywhere'") == 1


def test_an_admin_signs_a_user_out_everywhere(login, db):
    tutor = login("tutor.loreto")
    admin = login("admin")
    response = admin.post(f"/admin/users/{user_id(db, 'tutor.loreto')}/sign-out-everywhere")
    assert response.status_code == 302
    assert not signed_in(tutor)
    assert admin.get("/admin/users/").status_code == 200, "the admin stays signed in"
    target = pseudonym("tutor.loreto", "test-secret-key")
    assert db["audit_log"].count_where("action = 'user_signed_out_everywhere' AND target = ?", [target]) == 1


def test_long_expired_sessions_are_removed_at_the_next_sign_in(login, client, db):
    login("tutor.centro")
    db.execute("UPDATE sessions SET expires_at = '2026-01-01T00:00:00Z'")
    client.post("/login", data={"username": "tutor.loreto", "password": DEMO_PASSWORD})
    assert signed_in(client)
    assert db["sessions"].count_where("expires_at < '2026-02-01'") == 0
    assert db["sessions"].count == 1


def test_a_confirmation_survives_a_request_that_was_in_flight_when_it_was_flashed(login):
    """A page that changes nothing does not send the session cookie back: a request in flight (the service
    worker's update check) used to return with the cookie it left with and wipe the flashed "saved"."""
    client = login("tutor.loreto")
    client.get(PAGE)  # the session has what a page needs (its CSRF token) from here on
    for path in (PAGE, "/sw.js", "/agenda"):
        response = client.get(path)
        assert response.status_code == 200
        assert not [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")], path
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Visita salvata.")]
    client.get("/sw.js")  # finishing after the flash: it must leave the cookie alone
    assert "Visita salvata." in client.get(PAGE).get_data(as_text=True)


def test_the_account_page_names_devices_not_user_agent_strings(app, client):
    from fieldapp.render import device

    assert device("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Mobile Safari/537.36") == "Chrome · Android"
    assert device("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                  "Version/17.5 Mobile/15E148 Safari/604.1") == "Safari · iPhone"
    assert device("") is None
    client.post("/login", data={"username": "tutor.loreto", "password": "demo-cortile"},
                headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"})
    page = client.get("/account").get_data(as_text=True)
    assert "Firefox · Linux" in page and "x86_64" not in page and "Mozilla/5.0" not in page
