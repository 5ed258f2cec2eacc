"""ALER hears of each report passed to it (with a photo link that expires) and gets a monthly summary;
coordinators hear that a month is closed and its report to the Region is ready."""
import io
import re
import uuid as uuid_module

import pytest
import time_machine
from PIL import Image

from fieldapp import clock
from fieldapp.db import get_db
from fieldapp.messages import digest
from fieldapp.photos.attachments import store_photo
from tests.smtp import ALER_EMAIL, BASE_URL, text_of
from tests.test_governance_aler import a_report, pass_to_aler


@pytest.fixture
def app(mail_app):
    return mail_app


def send(app):
    return app.test_cli_runner().invoke(args=["messages", "send"]).output


def with_photo(app, report_uuid):
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "green").save(buffer, "JPEG")
    with app.app_context():
        store_photo(get_db(), owner="report", owner_id=report_uuid, photo_uuid=str(uuid_module.uuid4()),
                    data=buffer.getvalue(), user_id=None)


def test_a_report_passed_to_aler_puts_one_email_with_a_photo_link_that_expires(app, login, db, client, inbox):
    report = a_report(db, "aler", "verified")
    with_photo(app, report["uuid"])
    assert pass_to_aler(login("operatore"), report).status_code == 303
    assert "Sent 1," in send(app)
    [message] = inbox.received()
    assert message["To"] == ALER_EMAIL and message["Subject"].startswith("Segnalazione passata ad ALER: ")
    text = text_of(message)
    assert "Infiltrazione" not in text  # the operator's note stays behind the sign-in
    assert f"{BASE_URL}/governance/aler" in text and "il link funziona fino al 18 dicembre 2026" in text
    path = re.search(rf"{BASE_URL}(/photos/shared/\S+)", text).group(1)
    photo = client.get(path)
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert photo.headers["X-Robots-Tag"] == "noindex"
    assert client.get(path[:-3] + "abc").status_code == 404  # altered
    with time_machine.travel(clock.utc_now().timestamp() + 31 * 86400, tick=False):
        assert client.get(path).status_code == 404  # expired


def test_aler_gets_last_months_summary_once(app, inbox):
    with app.app_context():
        db = get_db()
        today = clock.local_today()
        assert digest.queue_day(db, today)[1] == 1
        assert digest.queue_day(db, today)[1] == 0
    send(app)  # the digests too
    [message] = [m for m in inbox.received() if m["To"] == ALER_EMAIL]
    assert message["Subject"] == "Cortile: il mese di ottobre 2026 negli stabili ALER"
    text = text_of(message)
    assert "Segnalazioni passate ad ALER: " in text and f"{BASE_URL}/governance/aler/month.csv?month=2026-10" in text


def test_closing_a_month_tells_every_coordinator_the_report_is_ready(login, db, inbox, app):
    db.execute("INSERT INTO users (username, display_name, role, password_hash, created_at, email) VALUES "
               "('coordinatore2', 'Coordinatore Due', 'coordinator', 'x', '2026-01-01T00:00:00Z', "
               "'coordinatore2@example.org')")
    db.conn.commit()
    assert login("coordinatrice").post("/governance/close/2026-10/lock",
                                       data={"acknowledge": "yes"}).status_code == 303
    assert "Sent 2," in send(app)
    messages = inbox.received()
    assert sorted(m["To"] for m in messages) == ["coordinatore2@example.org", "coordinatrice@example.org"]
    assert messages[0]["Subject"] == "Ottobre 2026 è chiuso: il rendiconto per la Regione è pronto"
    assert f"{BASE_URL}/governance/report/2026-10.xlsx" in text_of(messages[0])
