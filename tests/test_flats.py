"""Flats sort as people count them: scala, then piano, then interno, numbers as numbers."""
import re

import pytest

from fieldapp.flats import flat_key, sort_flats


@pytest.mark.parametrize("before, after", [
    (("", "1", "3"), ("", "1", "11")),       # interno: 3 before 11, not after it as text
    (("", "1", "12"), ("", "1", "12A")),     # a letter after the number
    (("", "1", "12A"), ("", "1", "13")),
    (("", "1", "12a"), ("", "1", "12B")),    # letters without case
    (("", "T", "99"), ("", "1", "1")),       # ground floor before floor 1
    (("", "R", "99"), ("", "1", "1")),       # raised ground floor before floor 1
    (("", "S1", "99"), ("", "T", "1")),      # basement before ground
    (("", "S2", "1"), ("", "S1", "1")),      # the deeper basement first
    (("", "T", "1"), ("", "R", "1")),
    (("", "2", "1"), ("", "10", "1")),       # piano 2 before 10
    (("A", "9", "99"), ("B", "1", "1")),     # scala first
    (("2", "1", "1"), ("10", "1", "1")),     # numbered stairs as numbers
    (("A", "1", "1"), ("AB", "1", "1")),
])
def test_flats_sort_as_people_count_them(before, after):
    assert flat_key(*before) < flat_key(*after)
    flats = [dict(zip(("scala", "piano", "interno"), f, strict=True)) for f in (after, before)]
    assert sort_flats(flats)[0]["interno"] == before[2]


def test_odd_values_still_sort_without_error():
    keys = [flat_key(*flat) for flat in [(None, None, "1"), ("", "", ""), ("", "ultimo", "x"), ("", "²", "1")]]
    assert len(keys) == len(sorted(keys))


def test_the_building_page_lists_flats_in_natural_order(login, db):
    building = next(db.query("SELECT building_id AS id FROM units GROUP BY building_id HAVING COUNT(*) >= 12 "
                             "AND COUNT(DISTINCT scala) = 1 LIMIT 1"))["id"]
    db.execute("UPDATE units SET piano = 'S1' WHERE building_id = ? AND interno = '11'", [building])
    db.conn.commit()
    page = login("coordinatrice").get(f"/buildings/{building}").get_data(as_text=True)
    rows = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>", page)
    expected = sort_flats(list(db.query("SELECT scala, piano, interno FROM units WHERE building_id = ?", [building])))
    assert rows == [(u["piano"], u["interno"]) for u in expected]
    assert rows[0] == ("S1", "11")  # the basement first, though its number is higher


def test_the_household_list_sorts_flats_of_a_building_naturally(login, db):
    page = login("tutor.loreto").get("/households/?q=DEMO-BLO").get_data(as_text=True)
    flats = re.findall(r'record-meta">([^·]+) · (?:scala (\S+), )?interno (\w+)', page)
    assert flats, "the list shows flats"
    by_address = {}
    for address, scala, interno in flats:
        by_address.setdefault((address.strip(), scala), []).append(int(interno))
    assert any(len(v) > 1 and max(v) >= 10 for v in by_address.values())  # text order would put 10 before 2
    assert all(v == sorted(v) for v in by_address.values())
