"""Sent e-mails are kept a while (to answer "did the contractor get it?"), then deleted with their files."""
from datetime import timedelta

from fieldapp import clock
from fieldapp.lifecycle import RetentionStep


def delete_sent(db, days, dry_run):
    before = clock.iso(clock.utc_now() - timedelta(days=days))
    where = "status = 'sent' AND sent_at < ?"
    count = db.execute(f"SELECT COUNT(*) FROM messages WHERE {where}", [before]).fetchone()[0]
    if count and not dry_run:
        db.execute(f"DELETE FROM message_attachments WHERE message_id IN (SELECT id FROM messages WHERE {where})",
                   [before])
        db.execute(f"DELETE FROM messages WHERE {where}", [before])
    return [(f"sent e-mails deleted (sent over {days} days ago)", count)]


# Declared by the admin area, which shows the queue (the base has no declaration of its own).
RETENTION = RetentionStep("messages", delete_sent, setting="MESSAGES_KEEP_DAYS")
