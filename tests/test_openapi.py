"""/openapi.json describes Open311 and the sync protocol, and schemathesis (a tool nobody here wrote) fuzzes
both against it in-process: no 5xx, and every status, content type and body as described."""
import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from fieldapp.public.routes import issue_key
from tests.conftest import make_app, signer

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
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
