"""Access samples of the interventions and contractors routes (see test_access.py), and the rules
the matrix cannot show: a tutor reads only their presidio's interventions and never writes."""
import pytest


def a_contractor(db):
    row = next(db.query("SELECT id FROM contractors ORDER BY active DESC, id LIMIT 1"), None)
    if row:
        return row["id"]
    db["contractors"].insert({"name": "Ditta Demo Campione Srl", "services": '["cleaning"]', "active": 1,
                              "created_at": "2026-01-01T08:00:00Z", "version": 1})
    db.conn.commit()
    return a_contractor(db)


def an_intervention(db, presidio="P-BLO", status="planned"):
    """An intervention on a building of `presidio` (made here when the demo has none in that status)."""
    row = next(db.query(
        """SELECT i.id FROM interventions i JOIN buildings b ON b.id = i.building_id
           WHERE b.presidio_code = ? AND i.status = ? ORDER BY i.id LIMIT 1""", [presidio, status]), None)
    if row:
        return row["id"]
    building = next(db.query("SELECT id FROM buildings WHERE presidio_code = ? ORDER BY id LIMIT 1", [presidio]))
    operator = next(db.query("SELECT id FROM users WHERE role = 'operator' LIMIT 1"))["id"]
    db["interventions"].insert({
        "uuid": f"00000000-0000-4000-8000-{building['id']:012d}", "kind": "cleaning",
        "contractor_id": a_contractor(db), "building_id": building["id"], "scheduled_on": "2099-01-05",
        "time_from": "08:00", "time_to": "12:00", "status": status, "created_at": "2026-01-01T08:00:00Z",
        "created_by": operator, "version": 1})
    db.conn.commit()
    return an_intervention(db, presidio, status)


def one(db):
    return an_intervention(db)


SAMPLES = {
    "interventions.intervention_list": ("GET", lambda db: "/interventions/", None),
    "interventions.intervention_new": ("GET", lambda db: "/interventions/new", None),
    "interventions.intervention_detail": ("GET", lambda db: f"/interventions/{one(db)}", "presidio"),
    "interventions.notify": ("POST", lambda db: f"/interventions/{one(db)}/notify", "presidio"),
    "interventions.start": ("POST", lambda db: f"/interventions/{one(db)}/start", "presidio"),
    "interventions.cancel": ("POST", lambda db: f"/interventions/{one(db)}/cancel", "presidio"),
    "interventions.done": ("GET", lambda db: f"/interventions/{one(db)}/done", "presidio"),
    "interventions.photos": ("GET", lambda db: f"/interventions/{one(db)}/photos", "presidio"),
    "interventions.notice_page": ("GET", lambda db: f"/interventions/{one(db)}/notice", "presidio"),
    "interventions.notice_pdf": ("GET", lambda db: f"/interventions/{one(db)}/notice.pdf", "presidio"),
    "interventions.week": ("GET", lambda db: "/interventions/week", None),
    "interventions.map_page": ("GET", lambda db: "/interventions/map", None),
    "interventions.geojson": ("GET", lambda db: "/interventions.geojson", None),
    "interventions.export_csv": ("GET", lambda db: "/interventions/export.csv", None),
    "interventions.export_xlsx": ("GET", lambda db: "/interventions/export.xlsx", None),
    "interventions.indicators": ("GET", lambda db: "/interventions/indicators", None),
    "interventions.contractor_list": ("GET", lambda db: "/contractors/", None),
    "interventions.contractor_new": ("GET", lambda db: "/contractors/new", None),
    "interventions.contractor_detail": ("GET", lambda db: f"/contractors/{a_contractor(db)}", None),
    "interventions.contractor_edit": ("GET", lambda db: f"/contractors/{a_contractor(db)}/edit", None),
}

WRITES = ["interventions.notify", "interventions.start", "interventions.cancel"]


@pytest.mark.parametrize("endpoint", WRITES + ["interventions.done", "interventions.photos"])
@pytest.mark.parametrize("username", ["tutor.loreto", "coordinatrice", "community", "admin"])
def test_only_the_operator_changes_an_intervention(login, db, endpoint, username):
    _method, url, _scope = SAMPLES[endpoint]
    client = login(username)
    assert client.post(url(db), data={"reason": "x", "actual_cost": "10"}).status_code == 403
    assert next(db.query("SELECT status FROM interventions WHERE id = ?", [one(db)]))["status"] == "planned"


def test_tutor_list_shows_only_their_presidio(login, db):
    mine, other = an_intervention(db, "P-BLO"), an_intervention(db, "P-CEN")
    page = login("tutor.loreto").get("/interventions/?status=all").get_data(as_text=True)
    assert f"/interventions/{mine}\"" in page
    assert f"/interventions/{other}\"" not in page


def test_tutor_geojson_shows_only_their_presidio(login, db):
    mine, other = an_intervention(db, "P-BLO"), an_intervention(db, "P-CEN")
    ids = {f["properties"]["id"] for f in login("tutor.loreto").get("/interventions.geojson").get_json()["features"]}
    assert mine in ids and other not in ids


def test_tutor_of_another_presidio_cannot_read_the_notice(login, db):
    url = f"/interventions/{an_intervention(db, 'P-BLO')}/notice.pdf"
    assert login("tutor.centro").get(url).status_code == 404
    assert login("tutor.loreto").get(url).status_code == 200


@pytest.mark.parametrize("username", ["operatore", "admin"])
def test_operator_and_admin_manage_contractors(login, username):
    response = login(username).post("/contractors/new", data={"name": f"Ditta Demo {username} Srl",
                                                               "services": ["cleaning"], "active": "y"})
    assert response.status_code == 303


@pytest.mark.parametrize("username", ["coordinatrice", "tutor.loreto", "community"])
def test_others_cannot_add_contractors(login, db, username):
    assert login(username).post("/contractors/new", data={"name": "Ditta Demo Intrusa Srl",
                                                          "services": ["cleaning"]}).status_code == 403
    assert next(db.query("SELECT COUNT(*) AS n FROM contractors WHERE name = 'Ditta Demo Intrusa Srl'"))["n"] == 0


def test_unknown_intervention_is_not_found(login):
    assert login("operatore").get("/interventions/999999").status_code == 404
