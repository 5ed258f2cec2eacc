"""Scope of linked records: duplicates, timelines and maps show only what the reader may see; a tutor
without a presidio sees nothing."""
import html

import pytest
from flask_login import login_user
from werkzeug.exceptions import Forbidden

from fieldapp.access import can_see_household
from fieldapp.auth.routes import User
from fieldapp.reports import filters, queries


def text(response):
    return html.unescape(response.get_data(as_text=True))


def report_in(db, presidio, username=None):
    sql = """SELECT r.uuid, b.address FROM reports r JOIN buildings b ON b.id = r.building_id
             JOIN users u ON u.id = r.created_by WHERE b.presidio_code = ?"""
    params = [presidio]
    if username:
        sql += " AND u.username = ?"
        params.append(username)
    return next(db.query(sql + " ORDER BY r.created_at LIMIT 1", params))


def test_a_duplicate_link_does_not_show_another_presidios_report_to_a_tutor(login, db):
    mine = report_in(db, "P-BLO", "tutor.loreto")
    other = report_in(db, "P-CEN")
    db.execute("UPDATE reports SET status = 'duplicate', duplicate_of = ? WHERE uuid = ?",
               [other["uuid"], mine["uuid"]])
    db.conn.commit()
    page = text(login("tutor.loreto").get(f"/reports/{mine['uuid']}"))
    assert other["uuid"][:8] not in page and other["address"] not in page
    assert "Stesso problema di una segnalazione di un altro presidio." in page
    # Whoever may see both still gets the link.
    page = text(login("coordinatrice").get(f"/reports/{mine['uuid']}"))
    assert f"/reports/{other['uuid']}" in page and other["address"] in page


def test_the_duplicate_hint_on_the_form_offers_only_reports_the_tutor_may_see(login, db):
    other = next(db.query(
        """SELECT r.uuid, r.building_id, r.area, r.category FROM reports r JOIN buildings b ON b.id = r.building_id
           WHERE b.presidio_code = 'P-CEN' AND r.status IN ('new', 'verified') ORDER BY r.created_at DESC LIMIT 1"""))
    db.execute("UPDATE reports SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE uuid = ?", [other["uuid"]])
    db.conn.commit()
    url = f"/reports/new?building={other['building_id']}&area={other['area']}&category={other['category']}"
    assert other["uuid"] in text(login("tutor.centro").get(url))  # the hint works...
    assert other["uuid"] not in text(login("tutor.loreto").get(url))  # ...within the reader's scope


def test_map_layers_show_a_tutor_only_their_presidio(login, db):
    others = {r["uuid"] for r in db.query(
        """SELECT r.uuid FROM reports r JOIN buildings b ON b.id = r.building_id JOIN users u ON u.id = r.created_by
           WHERE b.presidio_code <> 'P-BLO' AND u.username <> 'tutor.loreto'""")}
    features = login("tutor.loreto").get("/reports.geojson").get_json()["features"]
    shown = {f["properties"].get("uuid") for f in features} | {str(f.get("id")) for f in features}
    assert features and not (shown & others)
    layer = login("tutor.loreto").get("/interventions.geojson").get_json()["features"]
    assert {f["properties"].get("presidio_code", "P-BLO") for f in layer} <= {"P-BLO"}


def test_a_household_timeline_of_another_presidio_is_not_found(login, db):
    household = next(db.query(
        """SELECT h.id FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id
           WHERE b.presidio_code = 'P-BLO' LIMIT 1"""))["id"]
    assert login("tutor.loreto").get(f"/households/{household}/timeline").status_code == 200
    assert login("tutor.centro").get(f"/households/{household}/timeline").status_code == 404


def presidio_less_tutor(db):
    """A tutor row as a deactivated one could be read: the database lets no active tutor lack a presidio."""
    row = dict(next(db.query("SELECT *, NULL AS presidio_name FROM users WHERE username = 'tutor.loreto'")))
    row["presidio_code"] = None
    return User(row)


def test_a_tutor_without_a_presidio_sees_no_report_and_no_household(app, db):
    tutor = presidio_less_tutor(db)
    nowhere = {"presidio_code": None, "created_by": tutor.id}
    assert not can_see_household(tutor, None) and not can_see_household(tutor, "P-BLO")
    assert not filters.can_see(nowhere, tutor) and not filters.can_see({"presidio_code": "P-BLO",
                                                                        "created_by": tutor.id}, tutor)
    with app.test_request_context():
        assert queries.search_reports(limit=1000, offset=0, filters={}, scope=filters.scope(tutor)) == []
        assert queries.search_reports(limit=1000, offset=0, filters={}, scope=filters.scope(
            User(dict(next(db.query("SELECT *, NULL AS presidio_name FROM users WHERE username = 'tutor.loreto'")))
                 ))) != []


@pytest.mark.parametrize("endpoint", ["registry.household_list", "visits.agenda", "reports.report_list",
                                      "maps.map_page"])
def test_a_tutor_without_a_presidio_is_refused_every_page(app, db, endpoint):
    if endpoint not in app.view_functions:
        pytest.skip(f"{endpoint} is not a route")
    with app.test_request_context():
        login_user(presidio_less_tutor(db))
        with pytest.raises(Forbidden):
            app.view_functions[endpoint]()
