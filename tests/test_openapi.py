"""/openapi.json describes Open311 and the sync protocol, and schemathesis (a tool nobody here wrote) fuzzes
both against it in-process: no 5xx, and every status, content type and body as described."""
import shutil
import uuid as uuid_module

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from fieldapp.db import connect
from fieldapp.public.routes import issue_key
from tests.conftest import make_app, signer
from tests.test_sync import a_report, upload

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
# A partner app and a phone sending all day: the per-address caps are for strangers, not for this run.
UNTHROTTLED = {"PUBLIC_POSTS_PER_MINUTE": 100_000, "PUBLIC_POSTS_PER_DAY": 100_000,
               "PUBLIC_READS_PER_MINUTE": 100_000}


@pytest.fixture
def fuzzed(tmp_path, demo_db, demo_sessions):
    """(app, api key, CSRF header, session cookie of a signed-in tutor): CSRF on, as in production."""
    target = tmp_path / "cortile.db"
    shutil.copy(demo_db, target)
    app = make_app(tmp_path, db_file=target, **UNTHROTTLED)
    with app.app_context():
        key = issue_key("Fuzz partner app")[1]
    tutor = signer(app, demo_sessions)("tutor.loreto")  # the sign-in form, without its token
    app.config["WTF_CSRF_ENABLED"] = True
    token = tutor.get("/sync/token").get_json()["csrf_token"]
    return app, key, {"X-CSRFToken": token}, {"session": tutor.get_cookie("session").value}


def test_the_api_answers_as_described(fuzzed):
    """Each operation of /openapi.json, fuzzed with valid and invalid input (schemathesis' pytest plugin needs
    a pytest older than ours, so the operations are driven here)."""
    app, key, headers, cookies = fuzzed
    failures = []
    for result in schemathesis.openapi.from_wsgi("/openapi.json", app).get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=25, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def answers_as_described(case):
            if isinstance(case.body, dict) and case.body.get("api_key"):
                case.body["api_key"] = key  # a partner's real key, so posts get past it to the rest of the form
            case.call_and_validate(headers=headers, cookies=cookies, checks=CHECKS)

        try:
            answers_as_described()
        except Exception as failure:  # noqa: BLE001 - every operation's failures are reported together
            failures.append(f"{operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)


def described(app, path, method):
    """The operation /openapi.json describes at `path`, for one request built by hand."""
    return schemathesis.openapi.from_wsgi("/openapi.json", app)[path][method]


def test_the_description_is_public_and_covers_every_open311_and_sync_route(client, app):
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.is_json
    paths = response.get_json()["paths"]
    routes = {(rule.rule.replace("<any(json, xml):fmt>", "{fmt}").replace("<code>", "{service_code}")
               .replace("<request_id>", "{service_request_id}"), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith(("/open311/", "/sync/"))
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == {(path, method) for path, operations in paths.items() for method in operations}
    assert paths["/open311/v2/requests.{fmt}"]["post"]["requestBody"]["content"][
        "application/x-www-form-urlencoded"]["schema"]["$ref"].endswith("/NewRequest")


def test_a_form_part_without_a_name_is_a_bad_request_not_a_crash(fuzzed, db):
    app, _key, headers, cookies = fuzzed
    client = app.test_client()
    client.set_cookie("session", cookies["session"])
    body = b'--B\r\nContent-Disposition: form-data; name="a\rb"\r\n\r\nx\r\n--B--\r\n'
    response = client.post("/sync/photos", data=body, headers=headers,
                           content_type="multipart/form-data; boundary=B")
    assert response.status_code == 400 and response.get_json()["error"] == 400


def test_too_many_reads_and_posts_get_the_described_429(fuzzed):
    app, key, _headers, _cookies = fuzzed
    app.config.update(PUBLIC_READS_PER_MINUTE=1, PUBLIC_POSTS_PER_MINUTE=1)
    read = described(app, "/open311/v2/services.{fmt}", "GET").Case(path_parameters={"fmt": "json"})
    assert read.call_and_validate(checks=CHECKS).status_code == 200
    refused = read.call_and_validate(checks=CHECKS)
    assert refused.status_code == 429 and refused.json()[0]["code"] == 429
    assert refused.headers["retry-after"] == ["60"], "a partner app is told how long to wait"
    post = described(app, "/open311/v2/requests.{fmt}", "POST").Case(
        path_parameters={"fmt": "json"}, media_type="application/x-www-form-urlencoded",
        body={"api_key": key, "service_code": "waste", "address_id": "nowhere"})
    assert post.call_and_validate(checks=CHECKS).status_code == 400
    refused = post.call_and_validate(checks=CHECKS)
    assert refused.status_code == 429 and refused.headers["retry-after"] == ["60"]


def test_a_post_over_the_body_limit_gets_the_described_413(fuzzed):
    app, key, _headers, _cookies = fuzzed
    post = described(app, "/open311/v2/requests.{fmt}", "POST").Case(
        path_parameters={"fmt": "json"}, media_type="application/x-www-form-urlencoded",
        body={"api_key": key, "service_code": "waste", "address_id": "B-01", "description": "x" * 300_000})
    refused = post.call_and_validate(checks=CHECKS)
    assert refused.status_code == 413 and refused.json()[0]["code"] == 413


def test_a_stored_request_and_its_page_answer_as_described(fuzzed):
    app, key, _headers, _cookies = fuzzed
    database = connect(app.config["DATABASE"])
    building = next(database.query("SELECT code FROM buildings LIMIT 1"))["code"]
    database.close()
    post = described(app, "/open311/v2/requests.{fmt}", "POST").Case(
        path_parameters={"fmt": "json"}, media_type="application/x-www-form-urlencoded",
        body={"api_key": key, "service_code": "waste", "address_id": building, "description": "Sacchi in cantina"})
    stored = post.call_and_validate(checks=CHECKS)
    assert stored.status_code == 200
    request_id = stored.json()[0]["service_request_id"]
    page = described(app, "/open311/v2/requests/{service_request_id}.{fmt}", "GET").Case(
        path_parameters={"fmt": "json", "service_request_id": request_id})
    shown = page.call_and_validate(checks=CHECKS).json()[0]
    assert shown["address_id"] == building and shown["description"] is None, "published once verified"


def test_a_stored_photo_and_its_replay_answer_as_described(app, login, db):
    """The phone's usual path, which the fuzz cannot reach: a real photo of a report already sent."""
    client, photo = login("tutor.loreto"), str(uuid_module.uuid4())
    report = a_report(client, db, [photo])
    operation = described(app, "/sync/photos", "POST")
    stored, replayed = upload(client, report, photo), upload(client, report, photo)
    assert (stored.status_code, replayed.status_code) == (201, 200)
    operation.validate_response(stored)
    operation.validate_response(replayed)
    assert stored.json["status"] == "stored" and replayed.json["status"] == "duplicate"
    stored.set_data(b'{"status": 7}')  # and the check can fail: an answer unlike the description
    with pytest.raises(FailureGroup) as refused:
        operation.validate_response(stored)
    assert any("7 is not one of" in str(failure) for failure in refused.value.exceptions)
