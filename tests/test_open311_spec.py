"""Open311 GeoReport v2 to the spec, from a plain HTTP client: discovery, service definitions, a form-encoded POST
placed by address, the jurisdiction, and the request's language."""
import xml.etree.ElementTree as ET

from fieldapp.public.routes import issue_key


def new_key(app):
    with app.app_context():
        return issue_key("Segnala Cremona app")[1]


def form_post(client, fmt="json", **fields):
    """A POST as the spec describes it: application/x-www-form-urlencoded, with the api_key among the fields."""
    return client.post(f"/open311/v2/requests.{fmt}", data={k: v for k, v in fields.items() if v is not None},
                       content_type="application/x-www-form-urlencoded")


def test_discovery_names_the_v2_endpoint_in_json_and_xml(client):
    found = client.get("/open311/discovery.json").get_json()
    [endpoint] = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2") and endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"} and found["changeset"] and found["key_service"]
    tree = ET.fromstring(client.get("/open311/discovery.xml").data)
    assert tree.tag == "discovery" and tree.find("endpoints/endpoint/url").text == endpoint["url"]
    assert sorted(f.text for f in tree.findall("endpoints/endpoint/formats/format")) == ["application/json",
                                                                                           "text/xml"]


def test_every_service_has_a_definition_with_the_common_area_attribute(client):
    services = client.get("/open311/v2/services.json").get_json()
    assert services and all(s["metadata"] is True for s in services)
    definition = client.get("/open311/v2/services/waste.json").get_json()
    [attribute] = definition["attributes"]
    assert (definition["service_code"], attribute["code"], attribute["datatype"]) == ("waste", "area",
                                                                                      "singlevaluelist")
    assert {"key": "courtyard", "name": "Cortile"} in attribute["values"]
    tree = ET.fromstring(client.get("/open311/v2/services/waste.xml").data)
    assert tree.tag == "service_definition" and tree.find("attributes/attribute/code").text == "area"
    assert "courtyard" in [v.text for v in tree.findall("attributes/attribute/values/value/key")]
    missing = client.get("/open311/v2/services/fireworks.xml")
    assert missing.status_code == 404 and ET.fromstring(missing.data).find("error/code").text == "404"


def test_a_form_encoded_post_is_placed_by_its_address_string_or_address_id(app, client, db):
    key = new_key(app)
    sardagna = next(db.query("SELECT * FROM buildings WHERE address = 'Via Sardagna 3'"))
    answer = form_post(client, api_key=key, service_code="waste", address_string="via Sardagna, 3 - 26100 Cremona",
                       **{"attribute[area]": "courtyard"}, description="Sacchi in cortile.")
    assert answer.status_code == 200
    report = db["reports"].get(answer.get_json()[0]["service_request_id"])
    assert (report["building_id"], report["area"], report["source"]) == (sardagna["id"], "courtyard", "open311")
    published = client.get(f"/open311/v2/requests/{report['uuid']}.json").get_json()[0]
    assert published["address_id"] == sardagna["code"]
    # The building code the feed gives is an address_id a client can post back.
    answer = form_post(client, "xml", api_key=key, service_code="pests", address_id=published["address_id"])
    created = ET.fromstring(answer.data).find("request/service_request_id").text
    assert db["reports"].get(created)["building_id"] == sardagna["id"]


def test_an_address_not_in_the_registry_is_refused_in_the_spec_format_and_nothing_is_stored(app, client, db):
    key, before = new_key(app), db["reports"].count
    for fmt, fields in (("json", {"address_string": "Via Roma 1, Cremona"}), ("xml", {"address_id": "B99-99"}),
                        ("json", {})):
        answer = form_post(client, fmt, api_key=key, service_code="waste", **fields)
        assert answer.status_code == 400, fields
        if fmt == "json":
            [error] = answer.get_json()
            assert error["code"] == 400 and ("address" in error["description"] or "location" in error["description"])
        else:
            assert ET.fromstring(answer.data).find("error/code").text == "400"
    assert db["reports"].count == before


def test_the_jurisdiction_is_optional_and_only_cremona_is_served(app, client, db):
    assert client.get("/open311/v2/services.json?jurisdiction_id=c_d150").status_code == 200
    other = client.get("/open311/v2/services.xml?jurisdiction_id=milano")
    assert other.status_code == 404 and ET.fromstring(other.data).find("error/code").text == "404"
    before = db["reports"].count
    answer = form_post(client, api_key=new_key(app), service_code="waste", address_id="B05-01",
                       jurisdiction_id="milano")
    assert answer.status_code == 404 and answer.get_json()[0]["code"] == 404 and db["reports"].count == before
    assert form_post(client, api_key=new_key(app), service_code="waste", address_id="B05-01",
                     jurisdiction_id="c_d150").status_code == 200


def test_names_and_status_notes_speak_italian_unless_english_is_asked_for(client):
    italian = client.get("/open311/v2/services.json")
    english = client.get("/open311/v2/services.json", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Accept-Language" in italian.headers["Vary"]
    names = {s["service_code"]: s["service_name"] for s in italian.get_json()}
    assert names["waste"] == "Rifiuti abbandonati"
    assert {s["service_code"]: s["service_name"] for s in english.get_json()}["waste"] == "Abandoned waste"
    notes = {r["status_notes"] for r in client.get("/open311/v2/requests.json").get_json()}
    english_notes = {r["status_notes"] for r in client.get("/open311/v2/requests.json",
                                                           headers={"Accept-Language": "en"}).get_json()}
    assert "Nuova" in notes or "Verificata" in notes
    assert not notes & english_notes
