"""A resident who left an e-mail on /segnala hears of each change of status, and can stop it."""
import pytest

from fieldapp.db import connect, get_db, migration_sets
from fieldapp.reports.api import set_status
from tests.conftest import make_app
from tests.smtp import BASE_URL, html_of, text_of
from tests.test_public import form
from tests.test_public_open311 import new_key, post

RESIDENT = "residente@example.org"


@pytest.fixture
def app(mail_app):
    return mail_app


def file_report(client, db, **changes):
    sent = client.post("/segnala", data=form(db, email=RESIDENT, **changes))
    assert sent.status_code == 303, sent.get_data(as_text=True)[:1000]
    token = sent.headers["Location"].rsplit("/", 1)[1]
    return db.execute("SELECT uuid FROM reports WHERE public_token = ?", [token]).fetchone()[0], token


def send(app):
    return app.test_cli_runner().invoke(args=["messages", "send"]).output


def resolve(app, db, uuid):
    """As a finished intervention does: in progress, then resolved."""
    db.execute("UPDATE reports SET status = 'in_progress' WHERE uuid = ?", [uuid])
    db.conn.commit()
    with app.test_request_context():
        set_status(uuid, "resolved", note="Intervento n. 1", db=get_db())


def test_a_resolved_report_puts_one_email_with_its_links_into_the_server(app, client, db, inbox):
    uuid, token = file_report(client, db)
    assert db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 0  # filing it is no news
    resolve(app, db, uuid)
    assert "Sent 1," in send(app)
    [message] = inbox.received()
    address = db.execute("SELECT b.address FROM reports r JOIN buildings b ON b.id = r.building_id "
                         "WHERE r.uuid = ?", [uuid]).fetchone()[0]
    assert message["To"] == RESIDENT and message["Subject"] == f"La tua segnalazione su {address}: Risolta"
    text = text_of(message)
    assert "ha un nuovo stato: Risolta" in text and "ingombranti" in text.lower()
    assert f"{BASE_URL}/segnala/{token}\n" in text and f"{BASE_URL}/segnala/{token}/stop" in text
    assert message["List-Unsubscribe"].strip() == f"<{BASE_URL}/segnala/{token}/stop>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "materasso" not in text and "Intervento n. 1" not in text  # no description, no staff note
    assert f'href="{BASE_URL}/segnala/{token}/stop"' in html_of(message)
    assert "Sent 0," in send(app) and len(inbox.received()) == 1


def test_a_mail_programs_one_click_stops_the_emails_about_that_report(app, client, db, inbox):
    uuid, token = file_report(client, db)
    page = client.get(f"/segnala/{token}/stop").get_data(as_text=True)
    assert "Non ricevere più e-mail" in page
    stopped = client.post(f"/segnala/{token}/stop", data={"List-Unsubscribe": "One-Click"})
    assert stopped.status_code == 200 and 'data-testid="updates-stopped"' in stopped.get_data(as_text=True)
    resolve(app, db, uuid)
    assert db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 0
    assert db.execute("SELECT reporter_email FROM reports WHERE uuid = ?", [uuid]).fetchone()[0] == RESIDENT
    assert client.post("/segnala/" + "x" * 32 + "/stop").status_code == 404


def test_a_wrong_email_or_phone_is_refused_on_the_form(client, db):
    for field, value, words in (("email", "residente.example.org", "nome@example.org"),
                                ("phone", "chiamami", "sole cifre")):
        answer = client.post("/segnala", data=form(db, **{field: value}))
        assert answer.status_code == 422 and words in answer.get_data(as_text=True)


def test_retention_erases_the_contact_and_the_emails_sent_to_it(app, client, db, runner):
    uuid, _token = file_report(client, db, phone="+39 333 1234567")
    resolve(app, db, uuid)
    db.execute("UPDATE reports SET updated_at = '2026-10-01T09:00:00Z' WHERE uuid = ?", [uuid])
    db.conn.commit()
    assert db.execute("SELECT COUNT(*) FROM messages WHERE ref = ?", [f"report:{uuid}"]).fetchone()[0] == 1
    assert runner.invoke(args=["retention", "apply", "--yes"]).exit_code == 0
    row = db.execute("SELECT reporter_email, reporter_phone FROM reports WHERE uuid = ?", [uuid]).fetchone()
    assert tuple(row) == (None, None)
    assert db.execute("SELECT COUNT(*) FROM messages WHERE ref = ?", [f"report:{uuid}"]).fetchone()[0] == 0


def test_the_old_joined_contact_is_split_into_email_and_phone(tmp_path, demo_db):
    path = tmp_path / "old.db"
    old = connect(str(path))
    app = make_app(tmp_path / "x", db_file=tmp_path / "x.db")
    with app.app_context():
        sets = migration_sets()
    for migrations in sets:
        if migrations.name == "cortile.reports":
            migrations.apply(old, stop_before="m004_reporter_email_and_phone")
            break
        migrations.apply(old)
    old["quartieri"].insert({"id": 1, "name": "Quartiere di prova"})
    old["buildings"].insert({"id": 1, "code": "OLD-1", "address": "Via Vecchia 1", "quartiere_id": 1, "lat": 45.13,
                             "lon": 10.02, "owner": "comune"})
    for uuid, contact in (("a", "Mario Rossi · mario.rossi@example.org · 333 1234567"), ("b", "solo un nome")):
        old["reports"].insert({"uuid": uuid, "building_id": 1, "area": "other", "category": "waste",
                               "severity": "moderate", "lat": 45.13, "lon": 10.02, "location_source": "building",
                               "created_at": "2026-01-01T08:00:00Z", "source": "open311",
                               "reporter_contact": contact})
    old.close()
    make_app(tmp_path, db_file=path)
    db = connect(str(path))
    rows = {r["uuid"]: r for r in db.query("SELECT * FROM reports")}
    assert "reporter_contact" not in rows["a"] and "Mario" not in str(rows)
    assert (rows["a"]["reporter_email"], rows["a"]["reporter_phone"]) == ("mario.rossi@example.org", "333 1234567")
    assert (rows["b"]["reporter_email"], rows["b"]["reporter_phone"], rows["b"]["reporter_updates"]) == (None, None, 0)


def test_open311_checks_the_email_and_phone_and_keeps_no_name(app, client, db):
    key = new_key(app)
    assert post(client, key, email="non-un-indirizzo").status_code == 400
    assert post(client, key, phone="chiamami").status_code == 400
    [reply] = post(client, key, phone="+39 0372 407111", last_name="Rossi").get_json()
    row = db["reports"].get(reply["service_request_id"])
    assert (row["reporter_email"], row["reporter_phone"]) == ("partner-user@example.org", "+39 0372 407111")
    assert "Mario" not in str(row) and "Rossi" not in str(row)
