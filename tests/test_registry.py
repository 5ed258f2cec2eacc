"""Registry pages: a tutor finds their presidio's households, and nobody else's."""


def blo_household(db):
    return next(db.query(
        "SELECT h.id, h.code FROM households h JOIN units u ON u.id = h.unit_id "
        "JOIN buildings b ON b.id = u.building_id WHERE b.presidio_code = 'P-BLO' ORDER BY h.id LIMIT 1"))


def cen_household(db):
    return next(db.query(
        "SELECT h.id, h.code FROM households h JOIN units u ON u.id = h.unit_id "
        "JOIN buildings b ON b.id = u.building_id WHERE b.presidio_code = 'P-CEN' ORDER BY h.id LIMIT 1"))


def test_tutor_list_shows_only_their_presidio(login):
    page = login("tutor.loreto").get("/households/?q=DEMO").get_data(as_text=True)
    assert "DEMO-BLO-" in page
    assert "DEMO-CEN-" not in page and "DEMO-PAG-" not in page


def test_tutor_cannot_see_other_presidio_household_even_by_guessing_its_id(login, db):
    response = login("tutor.loreto").get(f"/households/{cen_household(db)['id']}")
    assert response.status_code == 404
    assert cen_household(db)["code"] not in response.get_data(as_text=True)


def test_tutor_search_cannot_reach_other_presidio_codes(login, db):
    page = login("tutor.loreto").get(f"/households/?q={cen_household(db)['code']}").get_data(as_text=True)
    assert f'record-title">{cen_household(db)["code"]}' not in page
    assert "Nessun nucleo corrisponde" in page


def test_coordinator_sees_every_presidio_and_can_filter(login, db):
    client = login("coordinatrice")
    assert client.get(f"/households/{cen_household(db)['id']}").status_code == 200
    filtered = client.get("/households/?presidio=P-SFE").get_data(as_text=True)
    assert "DEMO-SFE-" in filtered and "DEMO-BLO-" not in filtered


def test_live_search_returns_just_the_rows_for_htmx(login):
    response = login("tutor.loreto").get("/households/?q=Sardagna", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and "Via Sardagna" in body
    assert "HX-Request" in response.headers["Vary"]


def test_household_list_is_paginated(login):
    client = login("tutor.loreto")
    first = client.get("/households/").get_data(as_text=True)
    second = client.get("/households/?page=2").get_data(as_text=True)
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert first.count('class="record"') == 25


def test_reading_a_household_is_audited(login, db):
    household = blo_household(db)
    login("tutor.loreto").get(f"/households/{household['id']}")
    assert db["audit_log"].count_where("action = 'household_read' AND target = ?", [household["code"]]) == 1


def test_building_page_hides_households_from_other_presidi(login, db):
    building = next(db.query("SELECT id FROM buildings WHERE presidio_code = 'P-CEN' LIMIT 1"))["id"]
    own = login("tutor.centro").get(f"/buildings/{building}").get_data(as_text=True)
    other = login("tutor.loreto").get(f"/buildings/{building}").get_data(as_text=True)
    operator = login("operatore").get(f"/buildings/{building}").get_data(as_text=True)
    assert "DEMO-CEN-" in own
    assert "DEMO-CEN-" not in other and "DEMO-CEN-" not in operator
    assert "visibili solo ai tutor del presidio" in other


def test_building_search_filters_by_quartiere(login):
    page = login("operatore").get("/buildings/?quartiere=13").get_data(as_text=True)
    assert "Largo Pagliari 13" in page and "Via Sardagna" not in page


def test_empty_search_shows_an_empty_state(login):
    page = login("operatore").get("/buildings/?q=zzzz-nothing").get_data(as_text=True)
    assert 'data-testid="empty-state"' in page


def test_roles_start_on_their_own_page(login):
    assert login("tutor.loreto").get("/").headers["Location"].endswith("/households/")
    assert login("operatore").get("/").headers["Location"].endswith("/reports/?status=new")
    assert login("community").get("/").headers["Location"].endswith("/meetings/")
    assert login("admin").get("/").headers["Location"].endswith("/admin/users/")
