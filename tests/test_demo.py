"""The demo data reproduces the programme's shape (shared/context/cremona.md) with invented people."""
import re

from fieldapp.access import ROLES


def one(db, sql):
    return next(db.execute(sql) and db.query(sql))


def value(db, sql):
    return db.execute(sql).fetchone()[0]


def test_sixteen_quartieri_and_558_flats_in_twelve_of_them(db):
    assert value(db, "SELECT COUNT(*) FROM quartieri") == 16
    assert value(db, "SELECT COUNT(*) FROM units") == 558
    assert value(db, "SELECT COUNT(DISTINCT quartiere_id) FROM buildings") == 12


def test_172_flats_on_district_heating_62_centre_110_borgo_loreto(db):
    rows = dict(db.execute(
        "SELECT b.quartiere_id, COUNT(*) FROM units u JOIN buildings b ON b.id = u.building_id "
        "WHERE b.district_heating = 1 GROUP BY b.quartiere_id").fetchall())
    assert rows == {16: 62, 5: 110}
    assert value(db, "SELECT COUNT(*) FROM households WHERE heating_eligible = 1") == 172


def test_pilot_areas_hold_45_percent_of_flats(db):
    pilot = value(db, "SELECT COUNT(*) FROM units u JOIN buildings b ON b.id = u.building_id "
                      "WHERE b.pilot_area IS NOT NULL")
    assert round(pilot / 558 * 100) == 45


def test_arrears_bands_match_the_proposal(db):
    bands = dict(db.execute("SELECT arrears_band, COUNT(*) FROM households GROUP BY arrears_band").fetchall())
    above_500 = bands["500_2000"] + bands["over_2000"]
    initial = bands["upto_500"] + bands["500_2000"]
    assert round(above_500 / 558 * 100, 1) == 34.2
    assert round(initial / 558 * 100) == 25


def test_three_or_four_presidi_and_users_for_every_role(db):
    assert 3 <= value(db, "SELECT COUNT(*) FROM presidi") <= 4
    roles = {r for (r,) in db.execute("SELECT DISTINCT role FROM users").fetchall()}
    assert roles == set(ROLES)


def test_households_are_invented_codes(db):
    codes = [c for (c,) in db.execute("SELECT code FROM households").fetchall()]
    assert all(re.fullmatch(r"DEMO-[A-Z]{3}-\d{3}", c) for c in codes)
    columns = {c.name for c in db["households"].columns}
    assert not columns & {"name", "surname", "fiscal_code", "codice_fiscale", "nome", "cognome"}


# English that would show through on an Italian page: short words no Italian sentence uses, and a few of the
# demo's own earlier English words.
ENGLISH = re.compile(r"\b(the|and|of|to|with|for|from|is|are|on|by|residents?|clear|demo note|summary|group|"
                     r"office|person|flat|goal|plan|budget kept|meetings?|attended|enrol\w*|daily|weekly)\b", re.I)
# Not shown as text: machine columns (codes, ids, JSON, hashes, times) and the records of the app itself.
TECHNICAL = ("audit_log", "sessions", "login_attempts", "throttles", "_migrations", "api_keys", "messages", "users",
             "photos", "settings", "data_versions")


def test_the_demo_writes_its_visible_texts_in_italian(db):
    """Plans, goals, pacts, commitments, notes and summaries of the demo: nothing in English on Italian pages."""
    found = []
    for table in db.table_names():
        if table.startswith(TECHNICAL) or table.startswith("sqlite_"):
            continue
        columns = [c.name for c in db[table].columns if c.type.upper() == "TEXT"]
        for column in columns:
            for (text,) in db.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" LIKE "% %"'):
                if isinstance(text, str) and not text.lstrip().startswith(("{", "[")) and ENGLISH.search(text):
                    found.append(f"{table}.{column}: {text[:80]}")
    assert found == []
