"""The inputs that gave 500s: each now gets a clear 400, 404, 415 or 422, or is ignored as a filter."""
import html

import pytest

from tests.test_meetings_access import a_meeting
from tests.test_reports_access import report

HUGE = "9" * 30
JUST_OVER = str(2**63)  # one more than SQLite's largest integer


def text(response):
    return html.unescape(response.get_data(as_text=True))


def an_id(db, table):
    return next(db.query(f"SELECT id FROM {table} ORDER BY id LIMIT 1"))["id"]


@pytest.mark.parametrize("username, path", [
    ("tutor.loreto", "/households/{}"),
    ("tutor.loreto", "/buildings/{}"),
    ("tutor.loreto", "/households/{}/visits/new"),
    ("operatore", "/interventions/{}"),
    ("operatore", "/interventions/{}/notice.pdf"),
    ("operatore", "/contractors/{}"),
    ("operatore", "/contractors/{}/edit"),
    ("admin", "/admin/users/{}/edit"),
])
def test_ids_sqlite_cannot_hold_are_not_found(login, username, path):
    for number in (HUGE, JUST_OVER, "٣", "²"):
        response = login(username).get(path.format(number))
        assert response.status_code == 404, number
        assert "Questa pagina non esiste" in text(response)


def test_the_largest_id_sqlite_holds_is_simply_not_found(login):
    assert login("tutor.loreto").get(f"/households/{2**63 - 1}").status_code == 404


@pytest.mark.parametrize("username, path", [
    ("tutor.loreto", "/buildings/?quartiere={}"),
    ("operatore", "/reports/?quartiere={}"),
    ("operatore", "/reports.geojson?quartiere={}"),
    ("operatore", "/interventions/?contractor={}"),
    ("operatore", "/interventions/new?quartiere={}&building={}"),
    ("tutor.loreto", "/reports/new?building={}"),
    ("community", "/meetings/?context=building:{}"),
    ("tutor.loreto", "/households/?page={}"),
    ("tutor.loreto", "/buildings/?page={}"),
])
def test_numbers_out_of_range_in_filters_are_ignored(login, username, path):
    for number in (HUGE, JUST_OVER, "²", "-1"):
        assert login(username).get(path.format(number, number)).status_code == 200, number


@pytest.mark.parametrize("username, path", [
    ("operatore", "/reports/?from={}&to={}"),
    ("operatore", "/reports.geojson?from={}&to={}"),
    ("tutor.loreto", "/map?from={}&to={}"),
    ("community", "/meetings/?from={}&to={}"),
    ("community", "/meetings/summary?from={}&to={}"),
    ("operatore", "/interventions/week?start={}"),
    ("operatore", "/interventions/indicators?from={}&to={}"),
    ("operatore", "/interventions/export.csv?from={}&to={}"),
])
def test_far_dates_in_filters_are_ignored(login, username, path):
    for first, last in (("0001-01-01", "0001-01-01"), ("9999-12-31", "9999-12-31"), ("0001-01-01", "9999-12-31"),
                        ("2026-02-30", "2026-02-30")):
        assert login(username).get(path.format(first, last)).status_code == 200, (first, last)


def test_versions_that_are_no_number_sqlite_holds_are_refused(login, db):
    uuid = report(db)
    before = next(db.query("SELECT status, category, version FROM reports WHERE uuid = ?", [uuid]))
    for version in (HUGE, JUST_OVER, "²"):
        response = login("operatore").post(f"/reports/{uuid}/status", data={"to": "verified", "version": version})
        assert response.status_code in (400, 409, 422), version
        response = login("operatore").post(f"/reports/{uuid}/classification",
                                           data={"category": "other", "severity": "minor", "version": version})
        assert response.status_code in (400, 409, 422), version
        response = login("community").post(f"/meetings/{a_meeting(db)}/edit", data={"version": version})
        assert response.status_code == 400, version
    assert next(db.query("SELECT status, category, version FROM reports WHERE uuid = ?", [uuid])) == before


@pytest.mark.parametrize("username, path", [
    (None, "/login"),
    ("tutor.loreto", "/reports/new"),
    ("community", "/meetings/new"),
    ("operatore", "/contractors/new"),
    ("admin", "/admin/users/new"),
])
def test_json_bodies_are_refused_on_form_routes(app, login, db, username, path):
    client = login(username) if username else app.test_client()
    counts = {table: db[table].count for table in ("reports", "meetings", "contractors", "users")}
    for body in ("[]", "[1, 2]", "1e400", '{"username": ["a"], "password": 1}', "[" * 10000 + "]" * 10000):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 415, body
        assert "Questa pagina accetta solo i dati del suo modulo" in text(response)
    assert {table: db[table].count for table in counts} == counts


def test_the_json_api_still_takes_json(login):
    # /sync/ answers JSON with JSON, never with the form routes' 415.
    response = login("tutor.loreto").post("/sync/photos", data="[]", content_type="application/json")
    assert response.status_code != 415 and response.status_code < 500
    assert response.is_json
