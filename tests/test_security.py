"""Security headers, health, errors: what a browser and a monitoring probe see."""
from tests.conftest import make_app


def test_pages_carry_strict_security_headers(client):
    headers = client.get("/login").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_private(login):
    response = login("tutor.loreto").get("/households/")
    assert "private" in response.headers["Cache-Control"]


def test_hsts_only_behind_https(tmp_path):
    app = make_app(tmp_path, HTTPS=True)
    assert "Strict-Transport-Security" in app.test_client().get("/login").headers


def test_healthz_reports_database_and_version_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "db": "ok", "photos": "ok", "version": "0.1.0"}


def test_unknown_page_gets_a_clear_italian_message(login):
    response = login("tutor.loreto").get("/no/such/page")
    assert response.status_code == 404
    assert "Questa pagina non esiste" in response.get_data(as_text=True)


def test_api_paths_answer_errors_in_english_json(login):
    response = login("tutor.loreto").get("/sync/nothing-here")
    assert response.status_code == 404
    assert response.json["error"] == 404 and "does not exist" in response.json["message"]


def test_oversize_requests_are_refused_with_a_message(tmp_path, demo_db):
    app = make_app(tmp_path, MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post("/login", data={"username": "x" * 4096, "password": "y"})
    assert response.status_code == 413
    assert "troppo grande" in response.get_data(as_text=True)


def test_a_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    from fieldapp import create_app

    settings = {"TESTING": True, "DATABASE": str(tmp_path / "a.db"), "PHOTOS_DIR": str(tmp_path / "p"),
                "SECRET_KEY": None}
    first = create_app(settings)
    second = create_app(settings)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
