"""Open311 GeoReport v2: a real client (georeport, from PyPI) lists services and requests; partner apps post."""
import json
import re
import xml.etree.ElementTree as ET

import requests
from georeport import GeoReport

from fieldapp.public.routes import issue_key

BORGO_LORETO = ("45.1471", "10.0362")  # a few metres from the Via Sardagna buildings
CAMPAGNA = ("45.1800", "10.1000")      # in the Comune, far from any public-housing building
MILANO = ("45.4642", "9.1900")


def new_key(app, name="Segnala Cremona app"):
    with app.app_context():
        return issue_key(name)[1]


def post(client, key, fmt="json", **fields):
    data = {"api_key": key, "service_code": "waste", "lat": BORGO_LORETO[0], "long": BORGO_LORETO[1],
            "description": "Sacchi di rifiuti in cortile.", "email": "partner-user@example.org",
            "first_name": "Mario", **fields}
    return client.post(f"/open311/v2/requests.{fmt}", data={k: v for k, v in data.items() if v is not None})


def test_georeport_client_lists_services_and_follows_a_posted_request(live_server):
    key = new_key(live_server.app)
    client = GeoReport(f"{live_server.url}/open311/v2", api_key=key)
    services = client.get_service_list()
    assert {s["service_code"] for s in services} >= {"waste", "pests", "damage"}
    assert all(s["metadata"] is True and s["type"] == "realtime" for s in services)
    cremona = GeoReport(f"{live_server.url}/open311/v2", jurisdiction="c_d150")
    definition = cremona.get_service_definition("pests")
    assert definition["service_code"] == "pests" and definition["attributes"][0]["code"] == "area"

    # georeport 0.3.1 reads only: the POST goes through requests, as the spec describes it (form-encoded).
    answer = requests.post(f"{live_server.url}/open311/v2/requests.json", timeout=10, data={
        "api_key": key, "service_code": "pests", "lat": BORGO_LORETO[0], "long": BORGO_LORETO[1],
        "description": "Topi vicino alle cantine.", "email": "partner-user@example.org"})
    assert answer.status_code == 200
    [created] = answer.json()
    request_id = created["service_request_id"]

    request = client.get_service_request(request_id)
    assert (request["status"], request["service_code"]) == ("open", "pests")
    assert request["description"] is None  # not moderated yet
    assert request["address"].startswith("Via Sardagna")
    listed = client.get_service_requests(service_code="pests", status="open")
    assert request_id in [r["service_request_id"] for r in listed]
    assert request_id not in [r["service_request_id"] for r in client.get_service_requests(status="closed")]

    # The same API in XML, read by the same client.
    xml_client = GeoReport(f"{live_server.url}/open311/v2", output_format="xml")
    assert {s["service_code"] for s in xml_client.get_service_list()} >= {"pests"}
    assert xml_client.get_service_request(request_id)["service_request_id"] == request_id
    for body in (requests.get(f"{live_server.url}/open311/v2/requests.json", timeout=10).text,
                 requests.get(f"{live_server.url}/open311/v2/requests/{request_id}.xml", timeout=10).text):
        assert "partner-user@example.org" not in body


def test_a_posted_request_is_a_moderated_resident_report(app, client, db, login):
    key = new_key(app)
    answer = post(client, key)
    assert answer.status_code == 200
    [reply] = answer.get_json()
    row = db["reports"].get(reply["service_request_id"])
    assert (row["source"], row["status"], row["created_by"], row["far"]) == ("open311", "new", None, 0)
    assert row["api_key_id"] and row["reporter_email"] == "partner-user@example.org"
    assert row["reporter_updates"] == 0  # the partner app writes to its own users
    building = db["buildings"].get(row["building_id"])
    assert building["address"].startswith("Via Sardagna")

    detail = client.get(f"/open311/v2/requests/{row['uuid']}.json").get_json()[0]
    assert detail["description"] is None and detail["status"] == "open"
    operator = login("operatore")
    assert "App partner (Open311)" in operator.get("/reports/?status=new").get_data(as_text=True)
    operator.post(f"/reports/{row['uuid']}/status", data={"to": "verified", "version": row["version"]})
    assert client.get(f"/open311/v2/requests/{row['uuid']}.json").get_json()[0]["description"] == \
        "Sacchi di rifiuti in cortile."
    operator.post(f"/reports/{row['uuid']}/status", data={"to": "rejected", "version": row["version"] + 1,
                                                          "note": "Nota interna dello staff"})
    closed = client.get(f"/open311/v2/requests/{row['uuid']}.json").get_data(as_text=True)
    assert '"status": "closed"' in closed and "Nota interna" not in closed and "Mario" not in closed


def test_a_point_far_from_any_building_goes_to_the_nearest_one_flagged(app, client, db):
    answer = post(client, new_key(app), lat=CAMPAGNA[0], long=CAMPAGNA[1])
    assert answer.status_code == 200 and "Lontano dallo stabile" in answer.get_json()[0]["service_notice"]
    assert db["reports"].get(answer.get_json()[0]["service_request_id"])["far"] == 1


BAD_POSTS = [
    ({"api_key": None}, 400, "api_key was not provided"),
    ({"api_key": "c311_not-a-key"}, 403, "api_key is not valid"),
    ({"service_code": "fireworks"}, 400, "service_code"),
    ({"lat": MILANO[0], "long": MILANO[1]}, 400, "outside the Comune di Cremona"),
    ({"lat": None}, 400, "lat and long are required"),
]


def test_bad_posts_get_errors_in_the_spec_format_and_store_nothing(app, client, db):
    key = new_key(app)
    before = db["reports"].count
    for fields, code, words in BAD_POSTS:
        answer = post(client, key, **fields)
        assert answer.status_code == code, fields
        [error] = answer.get_json()
        assert error["code"] == code and words in error["description"], fields
    assert db["reports"].count == before


def test_a_revoked_key_is_refused_and_the_admin_page_lists_keys(app, client, db, login, runner):
    printed = runner.invoke(args=["open311", "issue-key", "Quartiere app"])
    assert printed.exit_code == 0
    key = printed.output.strip().splitlines()[-1]
    stored = next(db.query("SELECT * FROM api_keys WHERE name = 'Quartiere app'"))
    assert key not in json.dumps(stored) and key.startswith(stored["prefix"])
    admin = login("admin")
    page = admin.get("/admin/api-keys").get_data(as_text=True)
    assert "Quartiere app" in page and stored["prefix"] in page and key not in page
    assert admin.post(f"/admin/api-keys/{stored['id']}/revoke").status_code == 303
    assert "Revocata" in admin.get("/admin/api-keys").get_data(as_text=True)
    assert post(client, key).status_code == 403
    assert login("coordinatrice").get("/admin/api-keys").status_code == 403
    # A key issued on the page is shown once, and works.
    issued = admin.post("/admin/api-keys", data={"name": "Partner web"}).get_data(as_text=True)
    fresh = re.search(r"<code>(c311_[\w-]+)</code>", issued).group(1)
    assert fresh not in admin.get("/admin/api-keys").get_data(as_text=True)
    assert post(client, fresh).status_code == 200
    assert "Chiave API Open311 revocata" in admin.get("/admin/audit").get_data(as_text=True)


def test_filters_dates_xml_and_unknown_ids(app, client):
    every = client.get("/open311/v2/requests.json").get_json()
    assert every and all(r["status"] in ("open", "closed") for r in every)
    assert all(r["service_request_id"] and r["requested_datetime"].endswith("Z") for r in every)
    assert not client.get("/open311/v2/requests.json?start_date=2030-01-01T00:00:00Z").get_json()
    assert client.get("/open311/v2/requests.json?start_date=yesterday").status_code == 400
    wanted = every[0]["service_request_id"]
    assert [r["service_request_id"] for r in client.get(
        f"/open311/v2/requests.json?service_request_id={wanted}").get_json()] == [wanted]
    missing = client.get("/open311/v2/requests/00000000-0000-0000-0000-000000000000.json")
    assert missing.status_code == 404 and missing.get_json()[0]["code"] == 404
    tree = ET.fromstring(client.get("/open311/v2/services.xml").data)
    assert tree.tag == "services" and tree.find("service/service_code") is not None
    error = ET.fromstring(client.post("/open311/v2/requests.xml", data={}).data)
    assert error.find("error/code").text == "400"
    assert client.get("/open311/v2/services.csv").get_json()[0]["code"] == 404
