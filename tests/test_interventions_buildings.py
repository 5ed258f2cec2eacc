"""An intervention over reports in several buildings: a notice sheet for each building (and each scala),
every building page lists it; starting or finishing it before its day asks for a confirmation."""
import io
import re
from datetime import timedelta

import pytest

from fieldapp.clock import local_today
from tests.test_interventions import assert_early_start_needs_a_confirmation, intervention, jpeg, make_reports, plan
from tests.test_interventions_documents import pdf_text


@pytest.fixture
def operator(login):
    return login("operatore")


def scale_of(db, building_id):
    return [r["scala"] for r in db.query(
        "SELECT DISTINCT scala FROM units WHERE building_id = ? AND scala <> '' ORDER BY scala", [building_id])]


def building_with_scale(db, presidio):
    """A building of the presidio whose flats are on two staircases (scale A and B in the demo)."""
    row = next(db.query(
        """SELECT b.* FROM buildings b WHERE b.presidio_code = ? AND
               (SELECT COUNT(DISTINCT scala) FROM units u WHERE u.building_id = b.id AND u.scala <> '') > 1
           ORDER BY b.id LIMIT 1""", [presidio]))
    assert scale_of(db, row["id"]) == ["A", "B"]
    return row


def building_without_scale(db, presidio):
    return next(db.query(
        """SELECT b.* FROM buildings b WHERE b.presidio_code = ? AND NOT EXISTS
               (SELECT 1 FROM units u WHERE u.building_id = b.id AND u.scala <> '') ORDER BY b.id LIMIT 1""",
        [presidio]))


@pytest.fixture
def over_two_buildings(operator, db):
    """Reports in a Borgo Loreto building with scale A and B, and in a San Felice one with none."""
    here, there = building_with_scale(db, "P-BLO"), building_without_scale(db, "P-SFE")
    reports = make_reports(db, here, n=2, area="cellars") + make_reports(db, there, n=1, area="courtyard")
    intervention_id, _ = plan(operator, db, reports=reports, confirm_distant="y")
    return intervention_id, here, there


def test_the_notice_page_has_a_sheet_per_building_and_scala(operator, over_two_buildings):
    intervention_id, here, there = over_two_buildings
    page = operator.get(f"/interventions/{intervention_id}/notice").get_data(as_text=True)
    wheres = [re.sub(r"\s+", " ", w).strip() for w in
              re.findall(r'data-testid="notice-where">(.*?)<br>', page, re.S)]
    assert wheres == [f"{here['address']}, scala A", f"{here['address']}, scala B", there["address"]]
    sheets = page.split('data-testid="notice"')[1:]
    assert len(sheets) == 3
    assert "Parti comuni interessate: cantine" in sheets[0] and "Parti comuni interessate: cortile" in sheets[2]
    assert "Presidio: " in sheets[2] and "San Felice" in sheets[2]  # the other building's own presidio
    assert "3 fogli: uno per ogni stabile e scala interessati dai lavori." in page


def test_the_notice_pdf_has_an_a4_page_per_building_and_scala(operator, over_two_buildings):
    intervention_id, here, there = over_two_buildings
    data = operator.get(f"/interventions/{intervention_id}/notice.pdf").get_data()
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 3
    assert data.count(b"/MediaBox [0 0 595.28 841.89]") + data.count(b"/MediaBox[0 0 595.28 841.89]") >= 1
    text = pdf_text(data)
    assert text.count("AVVISO AI RESIDENTI") == 3
    assert f"{here['address']}, scala A" in text and f"{here['address']}, scala B" in text
    assert there["address"] in text


def test_every_building_page_lists_the_intervention(operator, login, over_two_buildings):
    intervention_id, here, there = over_two_buildings
    link = f"/interventions/{intervention_id}\""
    for client, place in ((operator, here), (operator, there), (login("tutor.loreto"), here),
                          (login("tutor.sanfelice"), there)):
        page = client.get(f"/buildings/{place['id']}").get_data(as_text=True)
        panel = page[page.index('data-testid="building-interventions"'):]
        assert link in panel, place["address"]
    # The San Felice tutor opens it too: it touches a building of their presidio.
    assert login("tutor.sanfelice").get(f"/interventions/{intervention_id}").status_code == 200
    assert login("tutor.centro").get(f"/interventions/{intervention_id}").status_code == 404


def test_starting_before_the_day_needs_a_confirmation(operator, db):
    """Also run over every edge moment, with the week view, in test_interventions.py."""
    assert_early_start_needs_a_confirmation(operator, db)


def test_marking_done_before_the_day_needs_a_confirmation(operator, db):
    day = local_today() + timedelta(days=2)
    intervention_id, reports = plan(operator, db, scheduled_on=day.isoformat())
    operator.post(f"/interventions/{intervention_id}/notify", data={})
    operator.post(f"/interventions/{intervention_id}/start", data={"confirm_early": "1"})
    photos = db.execute("SELECT COUNT(*) FROM photos").fetchone()[0]
    data = {"actual_cost": "120", "photos": [(io.BytesIO(jpeg()), "after.jpg")]}
    response = operator.post(f"/interventions/{intervention_id}/done", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "spunta la conferma per segnarlo comunque come eseguito oggi" in response.get_data(as_text=True)
    assert (intervention(db, intervention_id)["status"], db.execute("SELECT COUNT(*) FROM photos").fetchone()[0]) \
        == ("in_progress", photos)
    data = {"actual_cost": "120", "confirm_early": "1", "photos": [(io.BytesIO(jpeg()), "after.jpg")]}
    response = operator.post(f"/interventions/{intervention_id}/done", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    assert intervention(db, intervention_id)["status"] == "done"


def test_on_its_day_the_work_starts_without_a_question(operator, db):
    intervention_id, _ = plan(operator, db, scheduled_on=local_today().isoformat())
    operator.post(f"/interventions/{intervention_id}/notify", data={})
    assert 'data-testid="confirm-early"' not in operator.get(f"/interventions/{intervention_id}").get_data(as_text=True)
    assert operator.post(f"/interventions/{intervention_id}/start", data={}).status_code == 303
