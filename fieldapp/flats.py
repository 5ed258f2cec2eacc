"""The order of flats in every list: scala, then piano, then interno, numbers as numbers.

`flat_key` returns a text key that sorts the way people count flats: interno 2 before 11, "12" before
"12A"; basements ("S2", "S1"), the ground floor ("T") and the raised ground floor ("R") before
floor 1. SQLite calls it too (registered on every connection by `fieldapp.db.connect`), so a paged
list sorts in SQL: `ORDER BY flat_key(u.scala, u.piano, u.interno)`.
"""
import re
from functools import lru_cache

CHUNKS = re.compile(r"([0-9]+)")
DIGITS = re.compile(r"[0-9]+")
# Below floor 1, from the bottom up: "S<n>" (basement n, deepest first), ground, raised ground.
GROUND_FLOORS = {"T": "1", "PT": "1", "PR": "2", "R": "2", "RIALZATO": "2", "TERRA": "1"}
BASEMENT = re.compile(r"(?:S(?:EMINTERRATO|OTTERRANEO)?\s*-?\s*|-)([0-9]*)")  # "S1", "S", "-1"


def natural(text):
    """A key for a text with numbers in it: digits compare as numbers, letters without case."""
    parts = []
    for index, chunk in enumerate(CHUNKS.split(clean(text))):
        if chunk:
            # Numbers before letters at the same place: "12" < "12A" < "12B" and "3" < "A".
            parts.append(f"0{int(chunk):012d}" if index % 2 else f"1{chunk}")
    return "\x01".join(parts)


def floor(piano):
    """A key for a floor: basements, ground and raised ground before 1, 2, ...; anything else after them."""
    text = clean(piano)
    if text in GROUND_FLOORS:
        return GROUND_FLOORS[text]
    if DIGITS.fullmatch(text):
        return "1" if int(text) == 0 else f"3{int(text):012d}"
    basement = BASEMENT.fullmatch(text)
    if text and basement:
        return f"0{999 - min(int(basement.group(1) or 1), 999):03d}"
    return "4" + natural(text)


def clean(value):
    return "" if value is None else str(value).strip().upper()


@lru_cache(maxsize=8192)
def flat_key(scala, piano, interno):
    """The sort key of a flat; "\\x00" keeps a shorter scala before a longer one that starts the same."""
    return "\x00".join((natural(scala), floor(piano), natural(interno)))


def sort_flats(rows):
    """Rows with scala, piano and interno (dicts), in flat order."""
    return sorted(rows, key=lambda row: flat_key(row.get("scala"), row.get("piano"), row.get("interno")))
