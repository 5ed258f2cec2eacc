"""Access samples of outgoing e-mail (the administrator's queue page, a person's e-mail settings, a
resident's link to stop the e-mails about their report, ALER's photo links) and of the handover."""
from fieldapp.photos.links import token_for
from tests.test_public_access import token
from tests.test_reports_access import photo


def failed_message(db):
    """A failed message in this copy of the database, so that "send again" has something to act on."""
    db.execute("""INSERT INTO messages (message_id, kind, audience, recipient, subject, body_text, body_html,
                      status, attempts, next_attempt_at, last_error, created_at)
                  VALUES ('<access@example.org>', 'test', 'contractor', 'ditta@example.com', 'Prova', 'x', 'x',
                          'failed', 6, '2026-11-18T09:00:00Z', '451 later', '2026-11-18T08:00:00Z')""")
    db.conn.commit()
    return db.execute("SELECT id FROM messages WHERE message_id = '<access@example.org>'").fetchone()[0]


def tutor(db):
    return db.execute("SELECT id FROM users WHERE username = 'tutor.loreto'").fetchone()[0]


SAMPLES = {
    "admin.user_handover": ("GET", lambda db: f"/admin/users/{tutor(db)}/handover", None),
    "admin.user_handover_confirm": ("POST", lambda db: f"/admin/users/{tutor(db)}/handover", None),
    "admin.messages": ("GET", lambda db: "/admin/messages", None),
    "admin.message_send_again": ("POST", lambda db: f"/admin/messages/{failed_message(db)}/send-again", None),
    "auth.account_email": ("POST", lambda db: "/account/email", None),
    "public.report_stop": ("POST", lambda db: f"/segnala/{token(db)}/stop", None),
    # A link e-mailed to ALER: anyone who holds it, until it expires (signed with the tests' secret key).
    "photos.shared": ("GET", lambda db: f"/photos/shared/{token_for(photo(db), secret='test-secret-key')}", None),
}
