"""One text rule at the boundary: what a form, an Open311 post, an uploaded file's name or an office's file brings
is normalised (line breaks, NFC) or refused with a message naming the field, and nothing is half-stored."""
import html
import io

import pytest

from fieldapp.text import TextRefused, clean, normalise
from tests.test_meetings import meeting_form
from tests.test_public import counts
from tests.test_public import form as resident_form
from tests.test_reports import loreto_building, report_form


def test_line_breaks_become_newlines_and_letters_one_spelling():
    assert normalise("uno\r\ndue\rtre\x0bquattro\u2028cinque") == "uno\ndue\ntre\nquattro\ncinque"
    assert normalise("perche\u0301") == "perché"
    assert clean("Via Sardagna 3\r\nscala B", "note") == "Via Sardagna 3\nscala B"


@pytest.mark.parametrize("text", ["a\x00b", "a\x1bb", "a\x7fb", "x\u202egnp.exe", "\u2066a\u2069"])
def test_control_and_bidi_characters_are_refused_naming_the_field(text):
    with pytest.raises(TextRefused) as refused:
        clean(text, "description")
    assert refused.value.field == "description"


def test_one_line_fields_take_no_tab_or_newline():
    with pytest.raises(TextRefused):
        clean("codice\tformula", "codice_nucleo", multiline=False)
    assert clean("due\nrighe\tcon tab", "note") == "due\nrighe\tcon tab"


def test_a_resident_report_with_a_nul_byte_is_refused_and_nothing_is_stored(app, db):
    before = counts(db)
    response = app.test_client().post("/segnala", data=resident_form(db, description="Rifiuti\x00 nel cortile"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "«description»" in page and "carattere di controllo" in page
    assert counts(db) == before


def test_an_open311_post_with_a_control_character_gets_the_spec_error(app, db):
    response = app.test_client().post("/open311/v2/requests.json", data={
        "api_key": "x", "service_code": "bulky", "lat": "45.14", "long": "10.03", "description": "a\x00b"})
    assert response.status_code == 422
    assert response.get_json()[0]["code"] == 422 and "description" in response.get_json()[0]["description"]


def test_a_staff_report_pasted_from_word_keeps_its_lines_and_exports_still_open(login, db):
    """Word writes a line break inside a paragraph as a vertical tab: it was stored, and the XLSX export died."""
    client = login("tutor.loreto")
    response = client.post("/reports/new", data=report_form(loreto_building(db), description="Prima riga\x0bseconda"))
    assert response.status_code == 303
    stored = db.execute("SELECT description FROM reports ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()[0]
    assert stored == "Prima riga\nseconda"
    export = login("coordinatrice").get("/governance/exports/reports.xlsx?from=2026-11-01&to=2026-11-30")
    assert export.status_code == 200


def test_a_textarea_sent_with_crlf_is_stored_with_newlines(login, db):
    client = login("tutor.loreto")
    client.post("/reports/new", data=report_form(loreto_building(db), description="uno\r\ndue"))
    assert db.execute("SELECT description FROM reports ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()[0] \
        == "uno\ndue"


def test_an_uploaded_file_name_with_a_control_character_is_refused(login, db):
    before = db["ledger_months"].count
    response = login("equipe").post("/arrears/import", content_type="multipart/form-data", data={
        "file": (io.BytesIO(b"codice_nucleo;periodo;addebitato;pagato;saldo\n"), "storico\x07.csv")})
    assert response.status_code == 422 and "«file»" in response.get_data(as_text=True)
    assert db["ledger_months"].count == before


def test_an_office_file_with_a_control_character_names_its_row_and_column(login, db):
    code = db.execute("SELECT code FROM households WHERE active = 1 LIMIT 1").fetchone()[0]
    text = f"codice_nucleo;periodo;addebitato;pagato;saldo\n{code};2026-10;10,00;0,00;10,00\nX\x1bY;2026-10;1;0;1\n"
    before = db["ledger_months"].count
    response = login("equipe").post("/arrears/import", content_type="multipart/form-data",
                                    data={"file": (io.BytesIO(text.encode()), "storico.csv")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "codice_nucleo" in page and "carattere di controllo" in page
    assert db["ledger_months"].count == before


def test_a_record_cleaned_by_the_migration_is_still_a_replay_of_what_the_phone_sent(login, db):
    """Stored before the rule with a vertical tab, cleaned by the migration, sent again by the outbox: a replay."""
    from fieldapp.core.migrations import m002_text_rule
    from fieldapp.records.idempotency import content_hash

    building, uuid, raw = loreto_building(db), "3f2b7c1e-9a4d-4c8e-b5f6-0a1b2c3d4e5f", "Sacchi\x0bsul pianerottolo"
    sent = {"building_id": building["id"], "area": "stairs", "category": "bulky", "severity": "moderate",
            "description": raw, "device": None, "accuracy": None, "photo_position": None, "photo_uuids": []}
    author = db.execute("SELECT id FROM users WHERE username = 'tutor.loreto'").fetchone()[0]
    db["reports"].insert({"uuid": uuid, "building_id": building["id"], "area": "stairs", "category": "bulky",
                          "severity": "moderate", "description": raw, "status": "new", "lat": building["lat"],
                          "lon": building["lon"], "location_source": "building", "distance_m": 0, "far": 0,
                          "expected_photos": 0, "created_at": "2026-11-17T08:00:00Z", "created_by": author,
                          "version": 1, "content_hash": content_hash(sent)})
    m002_text_rule(db)
    db.conn.commit()
    assert db.execute("SELECT description FROM reports WHERE uuid = ?", [uuid]).fetchone()[0] == \
        "Sacchi\nsul pianerottolo"
    before = db["reports"].count
    again = login("tutor.loreto").post("/reports/new", data=report_form(building, description=raw, uuid=uuid),
                                       headers={"X-Cortile-Outbox": "replay"})
    assert again.status_code == 204 and again.headers["X-Cortile-Location"].endswith(uuid)
    assert db["reports"].count == before
    other = login("tutor.loreto").post("/reports/new", data=report_form(building, description="Altro", uuid=uuid))
    assert other.status_code == 409  # other content under the same uuid is still a conflict


def test_the_migration_leaves_the_audit_log_and_the_money_ledgers_as_they_were(db):
    from fieldapp.core.migrations import m002_text_rule

    db.execute("INSERT INTO audit_log (at, action, target) VALUES ('2026-11-17T08:00:00Z', 'login', 'x\x0by')")
    m002_text_rule(db)
    assert db.execute("SELECT target FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0] == "x\x0by"


@pytest.mark.parametrize("place", ["Presidio\nBorgo Loreto", "Presidio\tBorgo Loreto"])
def test_a_staff_form_refuses_a_line_break_or_tab_in_a_one_line_field(login, db, place):
    data = meeting_form(place=place, summary="Prima riga\nseconda riga")
    response = login("community").post("/meetings/new", data=data)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422 and "Questo campo va su una riga sola" in page
    assert 'id="place-error"' in page
    assert db["meetings"].count_where("uuid = ?", [data["uuid"]]) == 0


def test_a_staff_form_keeps_the_lines_of_its_textarea(login, db):
    data = meeting_form(summary="Prima riga\nseconda riga")
    assert login("community").post("/meetings/new", data=data).status_code == 303
    assert db["meetings"].get(data["uuid"])["summary"] == "Prima riga\nseconda riga"


def test_a_resident_report_refuses_a_tab_in_the_email_but_keeps_the_lines_of_its_description(app, db):
    before = counts(db)
    client = app.test_client()
    refused = client.post("/segnala", data=resident_form(db, email="resident@example.org\tBcc: x@example.org"))
    assert refused.status_code == 422 and "Questo campo va su una riga sola" in html.unescape(refused.get_data(True))
    assert counts(db) == before
    stored = client.post("/segnala", data=resident_form(db, description="Un materasso\nvicino ai bidoni."))
    assert stored.status_code in (200, 303)
    assert db.execute("SELECT description FROM reports ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()[0] \
        == "Un materasso\nvicino ai bidoni."
