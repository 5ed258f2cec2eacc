"""Sign-in records kept no longer than needed: expired sessions and tokens, old sign-in attempts."""
from datetime import timedelta

from fieldapp import clock
from fieldapp.lifecycle import RetentionStep


def _before(days):
    return clock.iso(clock.utc_now() - timedelta(days=days))


def sessions(db, days, dry_run):
    """Expired sessions and remember-me tokens: long enough kept to answer "was I signed in there?"."""
    before = _before(days)
    count = 0
    for table in ("sessions", "remember_tokens"):
        count += db.execute(f"SELECT COUNT(*) FROM {table} WHERE expires_at < ?", [before]).fetchone()[0]
        if not dry_run:
            db.execute(f"DELETE FROM {table} WHERE expires_at < ?", [before])
    return [(f"expired sessions and tokens removed (older than {days} days)", count)]


def login_attempts(db, days, dry_run):
    before = _before(days)
    count = db.execute("SELECT COUNT(*) FROM login_attempts WHERE at < ?", [before]).fetchone()[0]
    if not dry_run:
        db.execute("DELETE FROM login_attempts WHERE at < ?", [before])
    return [(f"sign-in attempts removed (older than {days} days)", count)]


RETENTION = (RetentionStep("sessions", sessions, days=90),
             RetentionStep("login_attempts", login_attempts, setting="LOGIN_ATTEMPTS_KEEP_DAYS"))
