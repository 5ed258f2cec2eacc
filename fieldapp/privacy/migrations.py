"""The one sanctioned change to the append-only audit log: retention blanks old personal fields."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("cortile.privacy")


@migrations()
def m001_audit_pseudonymisation(db):
    db.execute("ALTER TABLE audit_log ADD COLUMN pseudonymised_at TEXT")
    # A row here, inserted and deleted inside the retention job's own transaction, is the grant.
    db.execute("CREATE TABLE audit_pseudonymising (granted_at TEXT NOT NULL)")
    db.execute("DROP TRIGGER audit_log_no_update")
    # Still append-only: without the grant nothing changes; with it, only username, ip, target and
    # detail may be blanked (set to NULL) and pseudonymised_at stamped once. Deleting stays refused.
    db.execute("""
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        WHEN NOT EXISTS (SELECT 1 FROM audit_pseudonymising)
          OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.action IS NOT OLD.action
          OR NEW.user_id IS NOT OLD.user_id
          OR (NEW.username IS NOT NULL AND NEW.username IS NOT OLD.username)
          OR (NEW.ip IS NOT NULL AND NEW.ip IS NOT OLD.ip)
          OR (NEW.target IS NOT NULL AND NEW.target IS NOT OLD.target)
          OR (NEW.detail IS NOT NULL AND NEW.detail IS NOT OLD.detail)
          OR OLD.pseudonymised_at IS NOT NULL OR NEW.pseudonymised_at IS NULL
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""")
