"""No 500 on any input: every route of the URL map, under every role, with generated path values, query
strings, form fields and bodies (huge, negative, non-ASCII digits, odd dates, wrong types, JSON)."""
import io
import os
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_access import SAMPLES, WHO

ROOT = Path(__file__).resolve().parents[1]
# Small, so that the whole file stays within about a minute; FUZZ_EXAMPLES=50 for a deeper local run.
EXAMPLES_PER_ROLE = int(os.environ.get("FUZZ_EXAMPLES", 3))


def parameter_names():
    """Every query and form name the code reads: request.args/form keys and WTForms field names."""
    names = {"page", "version", "q", "next", "id", "uuid", "csrf_token"}
    patterns = [r'(?:args|form)\.get(?:list)?\(\s*"(\w+)"',
                r"^\s+(\w+)\s*=\s*(?:[\w.]*Field|Bounded\w+|Coordinate|count_field)\("]
    for path in [*ROOT.joinpath("fieldapp").rglob("*.py"), *ROOT.joinpath("sync").rglob("*.py")]:
        text = path.read_text()
        for pattern in patterns:
            names.update(re.findall(pattern, text, re.M))
    return sorted(names)


NAMES = parameter_names()
NASTY = [
    "", "0", "-1", "1", "2", "²", "٣", "１２", "߀", "9" * 19, str(2**63 - 1), str(2**63), str(2**64),
    "-" + "9" * 30, "1" * 400, "1e400", "-1e400", "1e-400", "nan", "inf", "-inf", "0x10", "1_000", " 7 ", "1.5",
    "0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "10000-01-01", "-0001-01-01", "2026-11-18",
    "2026-11-18T25:61", "2026-11-18T10:30", "2026-11-18T10:30:00Z", "9999-12-31T23:59", "0001-01-01T00:00",
    "23:59", "99:99", "24:00", "2026-W47", "\x00", "\ud7ff", "a" * 5000, "<script>", "é", "🙂", "null", "true",
    "[]", "{}", "%", "%00", "../..", "P-BLO", "P-XXX", "tutor", "admin", "new", "open", "closed",
    "00000000-0000-0000-0000-000000000000", "0d6f4a52-5b0e-4c1d-9a57-3c6b1f2e8a10",
]
VALUE = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=12),
)
# Bodies a form route must refuse (or ignore), never crash on.
JSON_BODIES = [
    "[]", "[1, 2, 3]", '"text"', "1e400", "-1e400", "null", "true", '{"building": []}', '{"building": 1e400}',
    '{"page": {"a": 1}}', '{"version": 99999999999999999999999}', "[" * 5000 + "]" * 5000, "{", "\xff\xfe",
]


_KNOWN = {}


def sample_arguments(app, db):
    """The path values of each endpoint's access sample, so that generated inputs also reach deep code.

    Every test's database is a copy of the same demo database: the values are worked out once.
    """
    if not _KNOWN:
        _KNOWN.update(_sample_arguments(app, db))
    return _KNOWN


def _sample_arguments(app, db):
    adapter = app.url_map.bind("localhost")
    known = {}
    for method, url, _scope in SAMPLES.values():
        path = url(db).split("?", 1)[0]
        try:
            matched, values = adapter.match(path, method=method)
        except Exception:
            continue
        known[matched] = {name: str(value) for name, value in values.items()}
    return known


def rule_of(app, endpoint):
    return next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)


def build_path(rule, values):
    """The rule's path with raw (possibly invalid) values put in place of its arguments."""
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", quote(values[name], safe=""), path)
    return path


def uniform(value, rule):
    """One value everywhere: in every path argument, every query name and every form field."""
    return ({name: value for name in rule.arguments}, {name: value for name in NAMES})


def request_strategy(rule, known):
    path_values = st.fixed_dictionaries({
        name: st.one_of(st.sampled_from([known[name]]) if name in known else st.nothing(), VALUE)
        for name in sorted(rule.arguments)
    })
    mixed = st.dictionaries(st.sampled_from(NAMES), st.one_of(VALUE, st.lists(VALUE, max_size=3)), max_size=8)
    everywhere = st.sampled_from(NASTY).map(lambda value: uniform(value, rule))
    values = st.one_of(everywhere, st.tuples(path_values, mixed))
    body = st.one_of(
        st.just(("form", None)),
        st.sampled_from(JSON_BODIES).map(lambda text: ("json", text)),
        st.binary(max_size=64).map(lambda data: ("file", data)),
    )
    return st.tuples(values, body)


def send(client, rule, path_values, query, body):
    """One request: the values in the path and the query string, and (POST) the form or another body."""
    method = "POST" if "POST" in rule.methods else "GET"
    path = build_path(rule, path_values)
    url = f"{path}?{urlencode(query, doseq=True)}" if query else path
    kind, content = body
    if kind == "json":
        return client.open(url, method=method, data=content.encode("utf-8", "surrogatepass"),
                           content_type="application/json")
    if kind == "file":
        return client.open(url, method=method, data={"photos": (io.BytesIO(content), "x.jpg"), "uuid": "x"},
                           content_type="multipart/form-data")
    return client.open(url, method=method, data=query if method == "POST" else None)


def allowed(app, endpoint, who):
    access = app.view_functions[endpoint].access
    role = "tutor" if who.startswith("tutor") else who
    return access == "public" or role in access


def describe(who, rule, path_values, query, body, response):
    return (f"{who} {build_path(rule, path_values)} query={str(query)[:200]} body={str(body)[:200]} "
            f"-> {response.status_code}")


# The inputs the attack found 500s with, sent to every route by a role that may use it.
ISSUE_VALUES = ["²", "9" * 30, str(2**63), "0001-01-01", "9999-12-31", "1e400"]
ISSUE_BODIES = ["[]", "1e400", '{"building": [1, 2]}', "[" * 5000 + "]" * 5000]


def the_inputs_that_broke(app, login, db, endpoint, rule, known):
    """The issue's inputs, by a role that may use the route: every failure, not just the first."""
    who = next((w for w in WHO if w != "tutor_other_presidio" and allowed(app, endpoint, w)), "anonymous")
    if endpoint == "auth.logout":
        who = "anonymous"
    cases = [(*uniform(value, rule), ("form", None)) for value in ISSUE_VALUES]
    cases += [(known or uniform("1", rule)[0], {}, ("json", text)) for text in ISSUE_BODIES]
    cases += [({**known, name: value}, {}, ("form", None)) for name in rule.arguments
              for value in ("9" * 30, str(2**63), "²")]
    failures = []
    for path_values, query, body in cases:
        client = login(WHO[who]) if WHO[who] else app.test_client()
        response = send(client, rule, path_values, query, body)
        if response.status_code >= 500:
            failures.append(describe(who, rule, path_values, query, body, response))
    return failures


@pytest.mark.parametrize("endpoint", sorted(SAMPLES))
def test_no_input_gets_a_server_error(app, login, db, endpoint):
    rule = rule_of(app, endpoint)
    known = sample_arguments(app, db).get(endpoint, {})
    assert the_inputs_that_broke(app, login, db, endpoint, rule, known) == []

    # A function per role rather than a closure over the loop's variables. The inner function keeps its
    # source (and so the seed that derandomize takes from it): the generated examples stay the same.
    def as_role(who, username, examples):
        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
        @given(request_strategy(rule, known))
        def no_server_error(generated):
            (path_values, query), body = generated
            client = login(username) if username else app.test_client()
            response = send(client, rule, path_values, query, body)
            assert response.status_code < 500, describe(who, rule, path_values, query, body, response)

        no_server_error()

    for who, username in WHO.items():
        if endpoint == "auth.logout" and username:
            continue  # signing out the cached session would turn the other examples anonymous
        # Roles refused at the door get one example: it tests the URL converters, not the view.
        as_role(who, username, EXAMPLES_PER_ROLE if allowed(app, endpoint, who) else 1)
