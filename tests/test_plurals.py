"""Counted messages read as Italian for every count: the catalogue's own plural rule, never English."""
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations

from fieldapp.i18n import TRANSLATIONS, compile_translations

ROOT = Path(__file__).resolve().parents[1]
COUNTS = (0, 1, 2, 5, 21)


def plural_messages():
    for path in sorted((ROOT / "translations" / "it" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            for message in read_po(f, locale="it"):
                if message.pluralizable and message.id[0]:
                    yield path.stem, message.id, message.string


PLURALS = list(plural_messages())


@pytest.fixture(scope="module")
def italian():
    """The merged catalogue the app serves (messages.mo), as Flask-Babel loads it."""
    compile_translations()
    return Translations.load(str(TRANSLATIONS), ["it"])


def test_there_are_counted_messages_to_check():
    assert len(PLURALS) >= 10


@pytest.mark.parametrize("area, ids, strings", PLURALS, ids=[ids[0][:40] for _a, ids, _s in PLURALS])
def test_a_counted_message_is_italian_for_every_count(italian, area, ids, strings):
    singular, plural = ids
    for n in COUNTS:
        text = italian.ungettext(singular, plural, n)
        # Italian: one form for exactly 1, the other for 0 and every other count.
        assert text == strings[0 if n == 1 else 1], f"{area}: n={n} gave {text!r}"


def test_a_page_counts_in_italian(login):
    page = login("tutor.loreto").get("/households/").get_data(as_text=True)
    assert " alloggi" in page or " componenti" in page
    assert " members" not in page and " flats" not in page
