"""ALER coordination: reports on ALER buildings go to ALER with their date; ALER takes them on or
resolves them; ALER's office sees its buildings and counts, never a household."""
import csv
import io
import json

import pytest


def a_report(db, owner, status):
    return next(db.query("""SELECT r.uuid, r.version FROM reports r JOIN buildings b ON b.id = r.building_id
                            WHERE b.owner = ? AND r.status = ? ORDER BY r.created_at LIMIT 1""", [owner, status]))


def stored(db, uuid):
    return next(db.query("SELECT * FROM reports WHERE uuid = ?", [uuid]))


def pass_to_aler(client, report, note="Infiltrazione dal tetto"):
    return client.post(f"/governance/aler/reports/{report['uuid']}/pass",
                       data={"version": report["version"], "note": note})


def aler_moves(client, db, uuid, to):
    return client.post(f"/governance/aler/reports/{uuid}/status",
                       data={"to": to, "version": stored(db, uuid)["version"]})


@pytest.fixture
def operator(login):
    return login("operatore")


@pytest.fixture
def aler(login):
    return login("aler")


def test_the_operator_passes_a_report_on_an_aler_building_and_the_date_is_kept(operator, db):
    report = a_report(db, "aler", "verified")
    page = operator.get(f"/reports/{report['uuid']}").get_data(as_text=True)
    assert "Passa ad ALER" in page and "Stabile ALER" in page
    response = pass_to_aler(operator, report)
    assert response.status_code == 303
    row = stored(db, report["uuid"])
    assert row["status"] == "with_aler" and row["aler_passed_at"].startswith("2026-11-18T")
    event = next(db.query("SELECT * FROM events WHERE entity = 'report' AND entity_id = ? ORDER BY id DESC LIMIT 1",
                          [report["uuid"]]))
    assert (event["from_status"], event["to_status"], event["note"]) == (
        "verified", "with_aler", "Infiltrazione dal tetto")
    page = operator.get(f"/reports/{report['uuid']}").get_data(as_text=True)
    assert "Passata ad ALER" in page and "Passa ad ALER" not in page


@pytest.mark.parametrize("case", ["comune", "twice", "planned"])
def test_a_report_that_cannot_go_to_aler_is_refused_with_a_message_and_nothing_changes(operator, db, case):
    if case == "comune":
        report, message = a_report(db, "comune", "new"), "Questo stabile è del Comune, non di ALER"
    elif case == "twice":
        report = a_report(db, "aler", "new")
        assert pass_to_aler(operator, report).status_code == 303
        report, message = stored(db, report["uuid"]), "è già stata passata ad ALER"
    else:
        report, message = a_report(db, "aler", "planned"), "Solo una segnalazione da verificare o verificata"
    before = stored(db, report["uuid"])
    response = pass_to_aler(operator, report)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert stored(db, report["uuid"]) == before


def test_the_generic_status_form_cannot_move_a_report_to_aler_without_its_date(operator, db):
    report = a_report(db, "aler", "new")
    response = operator.post(f"/reports/{report['uuid']}/status",
                             data={"to": "with_aler", "version": report["version"]})
    assert response.status_code == 422
    assert stored(db, report["uuid"])["status"] == "new"


def test_aler_takes_a_report_on_then_resolves_it_on_its_page(operator, aler, db):
    report = a_report(db, "aler", "new")
    pass_to_aler(operator, report)
    page = aler.get("/governance/aler").get_data(as_text=True)
    assert f'data-report="{report["uuid"]}"' in page and "La prendiamo in carico" in page
    assert aler_moves(aler, db, report["uuid"], "aler_taken").status_code == 303
    row = stored(db, report["uuid"])
    assert row["status"] == "aler_taken" and row["aler_taken_at"] and row["aler_resolved_at"] is None
    assert aler_moves(aler, db, report["uuid"], "resolved").status_code == 303
    row = stored(db, report["uuid"])
    assert row["status"] == "resolved" and row["aler_resolved_at"]
    # The operator sees ALER's dates on the report page.
    page = operator.get(f"/reports/{report['uuid']}").get_data(as_text=True)
    assert "Presa in carico da ALER" in page and "Risolta da ALER" in page


@pytest.mark.parametrize("case", ["not_passed", "resolved_again", "unknown_move"])
def test_aler_acting_out_of_turn_gets_a_message_and_nothing_changes(operator, aler, db, case):
    if case == "not_passed":
        report, to, message = a_report(db, "aler", "verified"), "aler_taken", "non è stata passata ad ALER"
    else:
        report = a_report(db, "aler", "new")
        pass_to_aler(operator, report)
        if case == "resolved_again":
            aler_moves(aler, db, report["uuid"], "resolved")
            to, message = "resolved", "è già in questo stato"
        else:
            to, message = "verified", "Indica se ALER prende in carico"
    before = stored(db, report["uuid"])
    response = aler_moves(aler, db, report["uuid"], to)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert stored(db, report["uuid"]) == before


def test_aler_lands_on_its_page_and_sees_no_household(aler, db):
    response = aler.get("/")
    assert response.headers["Location"].endswith("/governance/aler")
    page = aler.get("/governance/aler").get_data(as_text=True)
    assert "Interventi negli stabili ALER" in page and "Coordinamento ALER" in page
    codes = [row["code"] for row in db.query("SELECT code FROM households")]
    assert not any(code in page for code in codes) and "/households/" not in page
    for path in ("/households/", "/buildings/", "/reports/", "/interventions/"):
        assert aler.get(path).status_code == 403


def month_csv(client, month):
    response = client.get(f"/governance/aler/month.csv?month={month}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    return {row["Codice stabile"]: row for row in
            csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";")}


def test_the_monthly_csv_and_geojson_count_aler_buildings_only(operator, aler, db):
    report = a_report(db, "aler", "new")
    building = next(db.query("SELECT b.code FROM reports r JOIN buildings b ON b.id = r.building_id WHERE r.uuid = ?",
                             [report["uuid"]]))["code"]
    aler_codes = {row["code"] for row in db.query("SELECT code FROM buildings WHERE owner = 'aler'")}
    before, october = month_csv(aler, "2026-11"), month_csv(aler, "2026-10")
    pass_to_aler(operator, report)
    aler_moves(aler, db, report["uuid"], "resolved")
    after = month_csv(aler, "2026-11")
    assert set(after) == aler_codes
    passed, resolved = "Segnalazioni passate ad ALER", "Segnalazioni risolte da ALER"
    for code in aler_codes:
        moved = 1 if code == building else 0
        assert after[code]["Mese"] == "2026-11"
        assert int(after[code][passed]) == int(before[code][passed]) + moved
        assert int(after[code][resolved]) == int(before[code][resolved]) + moved
    assert month_csv(aler, "2026-10") == october  # today's moves count in today's month only
    geo = json.loads(aler.get("/governance/aler/month.geojson?month=2026-11").get_data())
    assert {f["properties"]["code"] for f in geo["features"]} == aler_codes
    feature = next(f for f in geo["features"] if f["properties"]["code"] == building)
    assert feature["properties"]["passed"] == int(after[building][passed])
    assert feature["properties"]["resolved"] == int(after[building][resolved])
    assert feature["geometry"]["type"] == "Point" and len(feature["geometry"]["coordinates"]) == 2
    household_codes = [row["code"] for row in db.query("SELECT code FROM households")]
    body = json.dumps(after) + json.dumps(geo)
    assert not any(code in body for code in household_codes)


def test_the_demo_shows_aler_a_report_in_each_of_its_states(aler):
    page = aler.get("/governance/aler").get_data(as_text=True)
    for status in ("Passata ad ALER", "Presa in carico da ALER", "Risolta"):
        assert status in page


def test_a_bad_month_is_refused_with_a_message(aler):
    response = aler.get("/governance/aler/month.geojson?month=2026-13")
    assert response.status_code == 422 and "Indica il mese come anno e mese" in response.get_data(as_text=True)


def test_aler_buildings_are_flagged_in_the_building_list_and_page(login, db):
    tutor = login("tutor.loreto")
    listing = tutor.get("/buildings/?presidio=P-BLO").get_data(as_text=True)
    aler_ids = [row["id"]
                for row in db.query("SELECT id FROM buildings WHERE owner = 'aler' AND presidio_code = 'P-BLO'")]
    assert listing.count('data-testid="aler-flag"') == len(aler_ids)
    assert 'data-testid="aler-flag"' in tutor.get(f"/buildings/{aler_ids[0]}").get_data(as_text=True)
    comune = next(db.query("SELECT id FROM buildings WHERE owner = 'comune' AND presidio_code = 'P-BLO' LIMIT 1"))["id"]
    assert 'data-testid="aler-flag"' not in tutor.get(f"/buildings/{comune}").get_data(as_text=True)


def test_a_report_resolved_by_aler_is_counted_as_aler_work_not_as_resolved_directly(app, db):
    from fieldapp.indicators.periods import parse
    from fieldapp.indicators.registry import indicators

    with app.app_context():
        month = parse("2026-11")
        INDICATORS = indicators()
        aler_before = INDICATORS["reports.resolved_by_aler"].value(month)[None]
        direct_before = INDICATORS["reports.resolved_directly"].value(month)[None]
    report = db.execute("SELECT uuid FROM reports WHERE status = 'resolved' AND aler_resolved_at IS NULL "
                        "AND uuid IN (SELECT entity_id FROM events WHERE to_status = 'resolved' "
                        "AND at >= '2026-11-01' AND at < '2026-11-30') "
                        "AND uuid NOT IN (SELECT report_uuid FROM intervention_reports) LIMIT 1").fetchone()[0]
    db.execute("UPDATE reports SET aler_passed_at = '2026-11-02T09:00:00Z', "
               "aler_resolved_at = '2026-11-10T09:00:00Z' WHERE uuid = ?", [report])
    db.conn.commit()
    with app.app_context():
        assert INDICATORS["reports.resolved_by_aler"].value(month)[None] == aler_before + 1
        assert INDICATORS["reports.resolved_directly"].value(month)[None] == direct_before - 1


def test_aler_sees_its_times_in_rome_and_one_reference_per_report(aler, db):
    """Times in Europe/Rome as the report's own history shows them; each report its own reference."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime

    page = aler.get("/governance/aler").get_data(as_text=True)
    reports = list(db.query("SELECT uuid, aler_taken_at FROM reports WHERE aler_passed_at IS NOT NULL"))
    taken = next(r["aler_taken_at"] for r in reports if r["aler_taken_at"])
    local = datetime.fromisoformat(taken).astimezone(ZoneInfo("Europe/Rome"))
    assert f"Presa in carico da ALER: {format_datetime(local, 'd MMM y HH:mm', locale='it')}" in page
    references = {r["uuid"][:8] for r in reports}
    assert len(references) == len(reports) > 1, "every report passed to ALER has a reference of its own"
    assert all(f"#{ref}" in page for ref in references)
