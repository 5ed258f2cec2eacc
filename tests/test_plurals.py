"""Counted messages read as Italian for every count: the catalogue's own plural rule, never English."""
import re
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


# Italian nouns that change from one to many: a count written before one of them needs ngettext.
PLURAL_NOUNS = ("nuclei", "obiettivi", "registrazioni", "casi", "segnalazioni", "giorni", "stabili", "letture",
                "alloggi", "visite", "incontri", "persone", "volontari", "interventi", "righe", "ore", "minuti")


def singular_only_counts():
    for path in sorted((ROOT / "translations" / "it" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            for message in read_po(f, locale="it"):
                if message.id and not message.pluralizable and isinstance(message.string, str):
                    for noun in PLURAL_NOUNS:
                        if re.search(rf"%\(\w+\)[sd] {noun}\b", message.string):
                            yield f"{path.stem}: {message.id}"


# Left to other issues: the Region report's PDF cells (its XLSX and PDF are being redone) and the heating
# import's error messages.
LEFT_FOR_THE_REGION_REPORT = {
    "governance_close: %(n)s records",
    "heating: %(n)s day(s) of the season have no temperature",
    "heating: the flat's households add up to %(days)s days, over the season's %(length)s",
    "heating: %(days)s days is over the season's %(length)s",
}


def test_every_count_before_a_noun_is_a_plural_message():
    """ "1 nuclei", "1 obiettivi su 2 raggiunti": a count and its noun agree, through ngettext."""
    assert set(singular_only_counts()) - LEFT_FOR_THE_REGION_REPORT == set()
