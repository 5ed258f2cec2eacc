"""Each person's morning digest: counts of what waits for them, each with a link, at most once a day."""
from datetime import timedelta

import pytest
import time_machine

from fieldapp.clock import local_today
from tests.conftest import PINNED
from tests.smtp import BASE_URL, html_of, text_of


@pytest.fixture
def app(mail_app):
    return mail_app


def digest(app):
    result = app.test_cli_runner().invoke(args=["messages", "digest"])
    assert result.exit_code == 0, result.output
    return result.output


def send(app):
    return app.test_cli_runner().invoke(args=["messages", "send"]).output


def digest_of(inbox, username):
    found = [m for m in inbox.received() if m["To"] == f"{username}@example.org"]
    assert len(found) <= 1
    return found[0] if found else None


def followups(db, username, compare):
    return db.execute(f"""SELECT COUNT(*) FROM followups f JOIN households h ON h.id = f.household_id
                          JOIN users u ON u.id = f.assignee_id WHERE u.username = ? AND f.status = 'open'
                          AND h.active = 1 AND f.due_on {compare} ?""", [username, local_today().isoformat()]
                      ).fetchone()[0]


def test_a_tutor_gets_their_follow_ups_counted_with_a_link_to_the_agenda(app, db, inbox):
    overdue, today = followups(db, "tutor.loreto", "<"), followups(db, "tutor.loreto", "=")
    assert overdue, "the demo gives tutor.loreto overdue follow-ups"
    assert "digest(s)" in digest(app) and "Sent " in send(app)
    message = digest_of(inbox, "tutor.loreto")
    assert message["Subject"] == "Cortile: cosa ti aspetta oggi, mercoledì 18 novembre"
    text = text_of(message)
    assert f"Azioni scadute: {overdue}\n  {BASE_URL}/agenda\n" in text
    assert (f"Azioni in scadenza oggi: {today}" in text) == bool(today)
    assert f'<a href="{BASE_URL}/agenda"' in html_of(message) and f"{BASE_URL}/account" in text
    assert "Verifiche dei progetti" not in text  # an educator's line, not a tutor's


def test_the_equipe_gets_conferences_coming_up_and_contributions_to_review(app, db, inbox):
    soon = (local_today() + timedelta(days=3)).isoformat()
    db.execute("INSERT INTO conferences (held_on, created_at) VALUES (?, '2026-11-18T08:00:00Z')", [soon])
    db.execute("INSERT INTO conferences (held_on, created_at) VALUES (?, '2026-11-18T08:00:00Z')",
               [(local_today() + timedelta(days=20)).isoformat()])
    db.conn.commit()
    to_review = db.execute("""SELECT COUNT(*) FROM heating_contributions c
                              JOIN heating_versions v ON v.id = c.version_id WHERE c.status = 'computed'
                              AND v.version = (SELECT MAX(version) FROM heating_versions WHERE season = v.season)"""
                           ).fetchone()[0]
    digest(app)
    send(app)
    text = text_of(digest_of(inbox, "equipe"))
    assert f"Conferenze del caso nei prossimi 7 giorni: 1\n  {BASE_URL}/arrears/conferences" in text
    assert (f"Contributi per il riscaldamento in attesa della tua revisione: {to_review}" in text) == bool(to_review)
    assert "Azioni scadute" not in text


def test_a_person_gets_one_digest_a_day_from_seven_and_none_when_turned_off(app, db, inbox, login):
    with time_machine.travel(PINNED.replace(hour=6, minute=30), tick=False):
        assert "nothing queued yet" in digest(app)
    login("tutor.loreto").post("/account/email", data={"email": "tutor.loreto@example.org"})  # digest unticked
    digest(app)
    digest(app)
    send(app)
    people = [m["To"] for m in inbox.received()]
    assert len(people) == len(set(people)) and "tutor.loreto@example.org" not in people
    assert "tutor.loreto2@example.org" in people
