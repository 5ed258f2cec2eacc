"""The interface speaks Italian by default and English on request, with nothing left untranslated."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
METHODS = [("fieldapp/**.py", "python"), ("sync/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def italian_catalogue():
    merged = {}
    for path in sorted((ROOT / "translations" / "it" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            for message in read_po(f, locale="it"):
                if message.id:
                    key = message.id[0] if isinstance(message.id, tuple) else message.id
                    strings = message.string if isinstance(message.string, tuple) else (message.string,)
                    if all(strings):
                        merged[key] = strings
    return merged


def test_every_interface_message_has_an_italian_translation():
    catalogue = italian_catalogue()
    missing = []
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map=METHODS, keywords=KEYWORDS,
    ):
        key = message[0] if isinstance(message, tuple) else message
        if key and key not in catalogue:
            missing.append(f"{filename}: {key}")
    assert missing == [], "untranslated:\n" + "\n".join(sorted(set(missing)))


def test_pages_are_italian_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="it">' in page
    assert "Nome utente" in page and "Accedi" in page


def test_english_is_available_and_remembered(client):
    client.post("/lang", data={"lang": "en", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Username" in page and "Sign in" in page


def test_unknown_language_keeps_italian(client):
    client.post("/lang", data={"lang": "xx", "next": "/login"})
    assert '<html lang="it">' in client.get("/login").get_data(as_text=True)


def test_language_switch_never_redirects_off_site(client):
    response = client.post("/lang", data={"lang": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_a_message_is_translated_the_same_way_in_every_area():
    """The area catalogues are merged into one: two Italian versions of a message would be a coin toss."""
    versions = {}
    for path in sorted((ROOT / "translations" / "it" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            for message in read_po(f, locale="it"):
                if message.id:
                    key = message.id[0] if isinstance(message.id, tuple) else message.id
                    versions.setdefault(key, {})[path.stem] = str(message.string)
    clashes = {key: areas for key, areas in versions.items() if len(set(areas.values())) > 1}
    assert clashes == {}


def test_templates_follow_a_forced_language_within_a_request(app):
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context("/"):
        assert render_template_string("{{ _('Sign in') }}") == "Accedi"
        with force_locale("en"):
            assert render_template_string("{{ _('Sign in') }}") == "Sign in"
        assert render_template_string("{{ _('Sign in') }}") == "Accedi"
