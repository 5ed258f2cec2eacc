"""The programme dashboard: exact figures on a known month, the year before, drill-down links, no dead tiles."""
import re
import shutil
from html import unescape

import pytest
from sqlite_utils import Database

from fieldapp.db import get_db
from fieldapp.indicators import registry
from tests.conftest import DEMO_PASSWORD, make_app
from tests.governance_data import load

MONTH = "/governance/?period=2021-03"


@pytest.fixture(scope="module")
def known(tmp_path_factory, demo_db):
    """The demo database plus the known rows of March 2021, built once for the module."""
    folder = tmp_path_factory.mktemp("governance")
    target = folder / "cortile.db"
    shutil.copy(demo_db, target)
    db = Database(target)
    load(db)
    db.close()
    return folder, target


@pytest.fixture(scope="module")
def coordinator(known):
    folder, target = known
    app = make_app(folder, db_file=target)
    client = app.test_client()
    assert client.post("/login", data={"username": "coordinatrice", "password": DEMO_PASSWORD}).status_code == 302
    return client


def tiles(html):
    """{indicator code: (figure, year before)} as the page shows them."""
    out = {}
    for code, row in re.findall(r'<tr data-indicator="([^"]+)">(.*?)</tr>', html, re.S):
        value = re.search(r'data-testid="value">(.*?)</td>', row, re.S)[1]
        before = re.search(r'data-testid="before">(.*?)</td>', row, re.S)[1]
        out[code] = (unescape(re.sub(r"<[^>]+>", "", value)).strip(), unescape(before).strip())
    return out


def links(html):
    return {code: unescape(m[1]) for code, row in re.findall(r'<tr data-indicator="([^"]+)">(.*?)</tr>', html, re.S)
            if (m := re.search(r'data-testid="value"><a href="([^"]+)"', row))}


def test_figures_of_a_known_month_and_the_year_before(coordinator):
    html = coordinator.get(MONTH).get_data(as_text=True)
    figures = tiles(html)
    assert figures["visits.by_kind"] == ("4", "1")
    assert figures["households.reached"] == ("2", "1")
    # Due 5th done 21:00 local (on time), due 10th done 00:30 local on the 11th (late), due 20th still open.
    assert figures["followups.on_time"][0] == "33,3 %"
    assert figures["reports.by_status"] == ("3", "0")
    assert figures["reports.resolved_directly"][0] == "1"
    assert figures["reports.days_resolved_directly"][0] == "2"
    assert figures["reports.resolved_by_intervention"][0] == "1"
    assert figures["reports.days_resolved_by_intervention"][0] == "10"
    assert figures["interventions.done"][0] == "1"
    assert figures["interventions.cost"][0] == "123,45 €"
    assert figures["meetings.count"][0] == "1"
    assert figures["meetings.participants"][0] == "12"
    assert "marzo 2021" in html.lower() and "marzo 2020" in html.lower()
    # No heating season starts in March and nothing was credited in it: Linea 2 shows zeros, not nothing.
    assert figures["heating.contributions"] == ("0", "0") and figures["heating.contributions_eur"][0] == "0,00 €"


def test_a_project_year_has_no_year_before_the_first(coordinator):
    html = coordinator.get("/governance/?period=PY1").get_data(as_text=True)
    assert "nessun periodo precedente" in html
    assert "Anno di progetto 1" in html
    empty = coordinator.get("/governance/?period=2019-03&indicator=reports.by_status").get_data(as_text=True)
    assert "Nessun dato in questo periodo." in empty and tiles(empty)["reports.by_status"] == ("0", "0")


def test_breakdown_rows_link_to_their_records(coordinator):
    html = coordinator.get(MONTH + "&indicator=reports.by_status&by=status").get_data(as_text=True)
    table = html.split('data-testid="breakdown"')[1].split("</table>")[0]
    rows = dict(re.findall(r'<tr data-key="([^"]*)"><th scope="row">[^<]*</th>\s*'
                           r'<td class="text-end">(?:<a href="[^"]*">)?([^<]*)', table))
    assert rows == {"resolved": "2", "new": "1"}
    link = unescape(re.search(r'<tr data-key="resolved">.*?href="([^"]+)"', table, re.S)[1])
    assert link.startswith("/reports/?") and "status=resolved" in link
    assert "from=2021-03-01" in link and "to=2021-03-31" in link
    listed = coordinator.get(link).get_data(as_text=True)
    assert listed.count('class="record-link report-record"') == 2
    assert "<svg" in html and 'role="img"' in html  # the chart, with its data table


def test_drill_down_keeps_the_chosen_presidio(coordinator):
    blo = coordinator.get(MONTH + "&presidio=P-BLO").get_data(as_text=True)
    assert tiles(blo)["reports.by_status"][0] == "3"
    assert tiles(blo)["visits.by_kind"][0] == "3"
    link = links(blo)["reports.by_status"]
    assert "presidio=P-BLO" in link
    assert coordinator.get(link).get_data(as_text=True).count('class="record-link report-record"') == 3
    cen = coordinator.get(MONTH + "&presidio=P-CEN").get_data(as_text=True)
    assert tiles(cen)["reports.by_status"][0] == "0"
    assert tiles(cen)["visits.by_kind"][0] == "1"
    assert coordinator.get(links(cen)["reports.by_status"]).get_data(as_text=True).count('report-record"') == 0
    interventions = coordinator.get(links(blo)["interventions.done"]).get_data(as_text=True)
    assert interventions.count('class="record-link') == 1


def test_map_of_buildings_has_its_own_script_hashes(coordinator):
    response = coordinator.get(MONTH + "&indicator=visits.by_kind&by=quartiere")
    html = response.get_data(as_text=True)
    assert "Mappa degli stabili" in html and "Borgo Loreto" in html
    assert "'sha256-" in response.headers["Content-Security-Policy"]
    assert "unpkg.com" not in html and "cdn.jsdelivr" not in html


def test_unknown_period_falls_back_to_the_current_month(coordinator):
    response = coordinator.get("/governance/?period=2021-13")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Quel periodo non esiste" in html and "novembre 2026" in html.lower()


def test_the_coordinator_starts_on_the_dashboard_in_both_languages(coordinator):
    assert coordinator.get("/").headers["Location"].endswith("/governance/")
    assert ">Cruscotto</a>" in coordinator.get(MONTH).get_data(as_text=True)
    coordinator.post("/lang", data={"lang": "en", "next": "/"})
    try:
        html = coordinator.get(MONTH).get_data(as_text=True)
        assert "Programme dashboard" in html and "March 2021" in html and "33.3 %" in html
    finally:
        coordinator.post("/lang", data={"lang": "it", "next": "/"})


def test_indicators_table_mirrors_the_registry(coordinator, known):
    coordinator.get(MONTH)
    db = Database(known[1])
    stored = {row["code"]: row for row in db.query("SELECT * FROM indicators")}
    with coordinator.application.app_context():
        assert set(stored) == set(registry.indicators())
    assert stored["visits.by_kind"]["numerator"] == "fieldapp.visits.indicators.visits_by_kind"
    assert stored["followups.on_time"]["denominator"] == "fieldapp.visits.indicators.followups_due"
    assert not any("SELECT" in str(value).upper() for row in stored.values() for value in row.values())


def test_no_dead_tiles_when_an_area_has_no_tables(known, tmp_path):
    target = tmp_path / "cortile.db"
    shutil.copy(known[1], target)
    db = Database(target)
    db.execute("PRAGMA foreign_keys = OFF")
    for table in ("pact_activities", "meetings"):
        db.execute(f"DROP TABLE {table}")
    db.close()
    app = make_app(tmp_path, db_file=target, SKIP_MIGRATIONS=True)
    with app.test_request_context():
        codes = {i.code for i in registry.available(get_db())}
    assert "visits.by_kind" in codes
    assert not {"meetings.count", "meetings.participants", "pacts.volunteer_hours"} & codes
    client = app.test_client()
    assert client.post("/login", data={"username": "coordinatrice", "password": DEMO_PASSWORD}).status_code == 302
    html = client.get(MONTH).get_data(as_text=True)
    assert "meetings.count" not in tiles(html) and "pacts.volunteer_hours" not in tiles(html)
    assert tiles(html)["visits.by_kind"][0] == "4"


def test_the_project_to_date_is_a_period_and_heating_splits_by_building_name(coordinator):
    html = coordinator.get("/governance/?period=project&indicator=heating.eligible&by=building").get_data(
        as_text=True)
    assert "Progetto fino a oggi" in html
    table = html.split('data-testid="breakdown"')[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">([^<]*)</th>', table)[0].startswith(("Via ", "Vicolo "))
