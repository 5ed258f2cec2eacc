"""One redirect rule: after sign-in, a follow-up's done or reopen, or a language change, `next` never leads away."""
import string
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.redirects import local_path

SITE = "https://cortile.example/households/"
# Open-redirect payloads as they are published for testing (PayloadsAllTheThings, OWASP), on our own path.
PAYLOADS = [
    "//evil.example", "///evil.example", "////evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
    "/\t/evil.example", "/%09/evil.example", "/%0A/evil.example", "/%0D/evil.example", "/%0d%0a/evil.example",
    "/\n/evil.example", " //evil.example", "/ /evil.example", "%2F%2Fevil.example", "/%2F%2Fevil.example",
    "/%2f/evil.example", "/%5Cevil.example", "/%5C%5Cevil.example", "https://evil.example", "http:evil.example",
    "https:/evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "/%00/evil.example",
    "/\x00/evil.example", "/\u2028/evil.example", "/\u200b/evil.example", "/\u202e/elpmaxe.live", "/.\\evil.example",
    "/%E3%80%82evil.example", "//evil%E3%80%82example", "/\u3002/evil.example", "/@evil.example/", "/%40evil.example",
    "//google.com%2F@evil.example", "/%2e%2e%2f%2e%2e%2fevil", "https:\\\\evil.example", "\t//evil.example",
]


def browser_target(location):
    """Where a browser goes with this Location on our page: WHATWG's forgiveness, then the URL join."""
    cleaned = location.strip("".join(chr(c) for c in range(0x21))).replace("\t", "").replace("\n", "")
    cleaned = cleaned.replace("\r", "").replace("\\", "/")
    return urljoin(SITE, cleaned)


def stays_here(location):
    target = urlsplit(browser_target(location))
    return target.scheme == "https" and target.netloc == "cortile.example"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_known_payloads_are_refused_or_stay_on_the_site(payload):
    accepted = local_path(payload)
    assert accepted is None or stays_here(accepted)


def test_plain_paths_are_kept():
    for path in ("/", "/agenda", "/households/?q=Via%20Sardagna&page=2", "/visits/1f0e/edit#followups"):
        assert local_path(path) == path


@settings(max_examples=400, derandomize=True, database=None)
@given(st.lists(st.sampled_from([*"/\\:.@%?#&=\t\n\r ", *"abcdefgEXAMPLE0123", "%2F", "%5C", "%09", "%0A", "//",
                                 "\x00", "\u2028", "\u3002", "http:", "evil.example"]), max_size=12))
def test_whatever_is_accepted_stays_on_the_site(tokens):
    accepted = local_path("".join(tokens))
    assert accepted is None or stays_here(accepted)


@settings(max_examples=200, derandomize=True, database=None)
@given(st.text(alphabet=string.printable, max_size=40))
def test_printable_text_never_leads_away(text):
    accepted = local_path(text)
    assert accepted is None or stays_here(accepted)


@pytest.mark.parametrize("payload", ["/%09/evil.example", "//evil.example", "/%0A/evil.example", "https://evil.example"])
def test_signing_in_with_a_hostile_next_goes_home(empty_app, payload):
    client = empty_app.test_client()
    with empty_app.app_context():
        from fieldapp.auth.api import create_user

        create_user("prova", "Prova", "coordinator", "una-password-lunga")
    response = client.post(f"/login?next={payload}", data={"username": "prova", "password": "una-password-lunga"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("action", ["done", "reopen"])
@pytest.mark.parametrize("payload", ["/\t/evil.example", "//evil.example", "/\n/evil.example"])
def test_a_followup_form_with_a_hostile_next_goes_to_the_agenda(login, db, action, payload):
    followup = db.execute("SELECT f.uuid FROM followups f JOIN households h ON h.id = f.household_id "
                          "JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id "
                          "WHERE b.presidio_code = 'P-BLO' AND f.status = ? LIMIT 1",
                          ["open" if action == "done" else "done"]).fetchone()[0]
    response = login("tutor.loreto").post(f"/followups/{followup}/{action}", data={"next": payload})
    assert response.status_code == 303 and urlsplit(response.headers["Location"]).path == "/agenda"
    assert stays_here(response.headers["Location"])


def test_the_language_form_keeps_a_local_next_and_refuses_another_host(client):
    assert client.post("/lang", data={"lang": "en", "next": "/accessibilita"}).headers["Location"] == "/accessibilita"
    assert client.post("/lang", data={"lang": "en", "next": "/\\evil.example"}).headers["Location"] == "/"
