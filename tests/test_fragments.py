"""Cached page fragments: never shown to another presidio or language, retired by the next write."""
import re

from fieldapp.fragments import data_version
from tests.conftest import make_app


def codes(html):
    return set(re.findall(r'record-title">(DEMO-[A-Z]+-\d+)<', html))


def cached_scopes(app):
    return {key[3] for key in app.extensions["cortile.fragments"].items}


def test_a_tutor_of_another_presidio_never_gets_the_cached_rows_of_p_blo(app, login):
    loreto, centro = login("tutor.loreto"), login("tutor.centro")
    for url in ("/households/", "/households/?presidio=P-BLO", "/households/?q=DEMO"):
        blo = codes(loreto.get(url).get_data(as_text=True))
        assert blo and all(code.startswith("DEMO-BLO-") for code in blo)
        assert ("tutor", "P-BLO") in cached_scopes(app)  # the rows were cached, for P-BLO
        for headers in ({}, {"HX-Request": "true"}):
            cen = codes(centro.get(url, headers=headers).get_data(as_text=True))
            assert cen and all(code.startswith("DEMO-CEN-") for code in cen), (url, headers)
    # The coordinator's choice of presidio is the coordinator's: a tutor asking for it keeps their own.
    coordinator = codes(login("coordinatrice").get("/households/?presidio=P-CEN").get_data(as_text=True))
    assert coordinator and all(code.startswith("DEMO-CEN-") for code in coordinator)
    blo = codes(loreto.get("/households/?presidio=P-CEN").get_data(as_text=True))
    assert blo and all(code.startswith("DEMO-BLO-") for code in blo)


def test_a_write_is_visible_on_the_next_read(app, login, db):
    client = login("tutor.loreto")
    first = client.get("/households/").get_data(as_text=True)
    code = sorted(codes(first))[0]
    def rows(html):  # the page around them carries the time it was rendered
        return html.split('id="household-results"')[1].split("</main>")[0]

    assert rows(client.get("/households/").get_data(as_text=True)) == rows(first)  # served from the cache
    before = db.execute("SELECT version FROM data_versions WHERE name = 'registry'").fetchone()[0]

    # Another worker (here: another connection) changes the household: a band, then moves it out.
    with db.conn:
        db.execute("UPDATE households SET arrears_band = 'over_2000', members = 7 WHERE code = ?", [code])
    again = client.get("/households/").get_data(as_text=True)
    row = again.split(f'record-title">{code}<')[1].split("</li>")[0]
    assert "7 componenti" in row and "oltre 2.000" in row.lower()
    assert db.execute("SELECT version FROM data_versions WHERE name = 'registry'").fetchone()[0] > before

    with db.conn:
        db.execute("UPDATE households SET active = 0 WHERE code = ?", [code])
    assert code not in codes(client.get("/households/").get_data(as_text=True))


def test_fragments_follow_the_language(login):
    client = login("tutor.loreto")
    italian = client.get("/households/").get_data(as_text=True)
    client.post("/lang", data={"lang": "en", "next": "/households/"})
    english = client.get("/households/").get_data(as_text=True)
    assert "componenti" in italian and "componenti" not in english and " members" in english
    assert "Salvato su questo telefono" in italian and "Saved on this phone" in english


def test_data_version_is_read_from_the_database(app):
    with app.app_context():
        assert isinstance(data_version("registry"), int)
        try:
            data_version("nothing")
        except LookupError:
            pass
        else:
            raise AssertionError("a missing version must not key a fragment")


def test_links_follow_where_the_app_is_mounted(login):
    client = login("tutor.loreto")
    plain = client.get("/households/").get_data(as_text=True)
    mounted = client.get("/households/", base_url="http://localhost/cortile").get_data(as_text=True)
    assert 'href="/households/' in plain and 'href="/cortile/households/' in mounted
    assert 'href="/households/' not in mounted.split("<main")[1]


def test_templates_are_compiled_once_to_disk(tmp_path):
    # The tests share compiled templates in memory (conftest); this app keeps production's disk cache.
    app = make_app(tmp_path, template_cache=None)
    folder = app.extensions.get("cortile.template_cache")
    cache = app.jinja_env.bytecode_cache
    filename = app.jinja_env.loader.get_source(app.jinja_env, "auth/login.html")[1]
    compiled = folder / (cache.pattern % cache.get_cache_key("auth/login.html", filename))
    compiled.unlink(missing_ok=True)  # the instance folder is shared with other tests' servers
    with app.test_request_context():
        app.jinja_env.get_template("auth/login.html")
    assert compiled.exists() and compiled.stat().st_size > 1000


def test_the_household_timeline_is_cached_but_every_change_and_every_read_counts(login, db):
    household = next(db.query(
        """SELECT h.id, h.code, u.building_id FROM households h JOIN units u ON u.id = h.unit_id
           JOIN buildings b ON b.id = u.building_id
           WHERE b.presidio_code = 'P-BLO' AND EXISTS (SELECT 1 FROM visits v WHERE v.household_id = h.id)
             AND EXISTS (SELECT 1 FROM followups f WHERE f.household_id = h.id AND f.status != 'cancelled')
           ORDER BY h.id LIMIT 1"""))
    client = login("tutor.loreto")
    url = f"/households/{household['id']}"

    def timeline():
        return client.get(url).get_data(as_text=True).split('id="timeline-title"')[1].split("</section>")[0]

    first = timeline()
    assert timeline() == first
    # Reading the history is logged on every read, cached or not.
    reads = db["audit_log"].count_where("action = 'visit_history_read' AND target = ?", [household["code"]])
    assert reads == 2

    visit = next(db.query("SELECT uuid FROM visits WHERE household_id = ? ORDER BY visited_at DESC LIMIT 1",
                          [household["id"]]))
    with db.conn:
        db.execute("UPDATE visits SET outcome = 'refused' WHERE uuid = ?", [visit["uuid"]])
    assert "Visita rifiutata" in timeline()

    # Follow-ups too (their table was rebuilt by an arrears migration: its triggers must survive that).
    followups = timeline().count("timeline-followup")
    with db.conn:
        db.execute("UPDATE followups SET status = 'cancelled' WHERE household_id = ? AND status != 'cancelled'",
                   [household["id"]])
    assert followups and timeline().count("timeline-followup") == 0

    # A report moved to the household's building, newest of all: the timeline shows it.
    before = timeline().count("Respinta")
    with db.conn:
        db.execute("""UPDATE reports SET building_id = ?, status = 'rejected', created_at = '2026-11-18T09:00:00Z'
                      WHERE uuid = (SELECT uuid FROM reports WHERE building_id != ? LIMIT 1)""",
                   [household["building_id"], household["building_id"]])
    assert timeline().count("Respinta") == before + 1
