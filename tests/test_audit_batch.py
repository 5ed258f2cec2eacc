"""A household page logs its reads (the page and its timeline) in one transaction: one write lock per view."""
import pytest
from flask import abort
from werkzeug.exceptions import InternalServerError

from fieldapp.audit import audit, audits_together
from fieldapp.db import get_db
from tests.test_pwa import household


def statements_during(app, work):
    """The SQL the app's connection (this thread's) runs during work()."""
    seen = []
    with app.test_request_context():
        conn = get_db().conn
    conn.set_trace_callback(seen.append)
    try:
        work()
    finally:
        conn.set_trace_callback(None)
    return seen


def test_a_household_page_logs_the_page_and_its_timeline_in_one_write(app, login, db):
    client = login("tutor.loreto")
    target = household(db)
    code = db["households"].get(target)["code"]
    before = db.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    seen = statements_during(app, lambda: client.get(f"/households/{target}"))
    rows = db.execute("SELECT action, target FROM audit_log WHERE id > ? ORDER BY id", [before]).fetchall()
    assert rows == [("household_read", code), ("visit_history_read", code)]
    # Other writes may come with a view (the session's last-seen time, at most once a minute): the two
    # audit rows must come in ONE of the transactions.
    transactions, current = [], None
    for statement in seen:
        if statement.startswith("BEGIN"):
            current = []
            transactions.append(current)
        elif current is not None:
            current.append(statement)
    with_audit = [t for t in transactions if any(s.startswith("INSERT INTO audit_log") for s in t)]
    assert len(with_audit) == 1 and sum(s.startswith("INSERT INTO audit_log") for s in with_audit[0]) == 2


def test_reads_logged_together_are_not_written_when_the_page_fails(app, db):
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with app.test_request_context(), pytest.raises(InternalServerError):
        with audits_together():
            audit("household_read", target="DEMO-XXX-000")
            abort(500)
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    with app.test_request_context():
        with audits_together():
            audit("household_read", target="DEMO-XXX-000")
            with audits_together():  # a section's own block inside the page's: written once, at the end
                audit("visit_history_read", target="DEMO-XXX-000")
            assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before + 2
