"""The SQLite store: one connection per request, numbered migrations, `db upgrade`."""
import contextlib
import fcntl
import sqlite3
import threading
import uuid as uuid_module

import click
import sqlite_utils
from flask import current_app, g
from flask.cli import with_appcontext

from fieldapp.clock import now  # noqa: F401  (re-exported: every *_at column's format)
from fieldapp.flats import flat_key


class Database(sqlite_utils.Database):
    """sqlite-utils, with transactions that take the write lock when they begin."""

    @contextlib.contextmanager
    def atomic(self):
        """A transaction (BEGIN IMMEDIATE), or a savepoint inside one.

        A deferred BEGIN reads first and asks for the write lock later; when another worker writes in
        between, SQLite refuses at once ("database is locked") instead of waiting for busy_timeout.
        """
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


def connect(path):
    """Open the database with the settings every connection needs."""
    conn = sqlite3.connect(path, timeout=10, check_same_thread=False)
    conn.create_function("flat_key", 3, flat_key, deterministic=True)  # lists of flats sort in SQL, paged
    db = Database(conn)
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        # Switching a new file to WAL needs it to itself, and SQLite answers "database is locked" at
        # once rather than waiting: workers starting together take turns under the migration lock.
        with migration_lock(path):
            db.enable_wal()
    return db


_thread = threading.local()


def get_db():
    """The request's database connection: one per worker thread and database, reused across requests.

    Reuse spares every request a connect and its PRAGMAs; teardown rolls back anything left open.
    """
    if "db" not in g:
        path = current_app.config["DATABASE"]
        pool = _thread.__dict__.setdefault("connections", {})
        if path not in pool:
            pool[path] = connect(path)
        g.db = pool[path]
    return g.db


def close_db(exc=None):
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


MIGRATIONS_KEY = "cortile.migrations"


def migration_sets():
    """The Migrations set of each area, in the order the app installed the areas (fieldapp.area.install)."""
    return list(current_app.extensions.get(MIGRATIONS_KEY, ()))


@contextlib.contextmanager
def migration_lock(path):
    """One process migrates at a time: workers starting together on a new database wait their turn.

    A file lock beside the database, held by the kernel, so it is released when a process dies.
    """
    lock_path = f"{path}.migrate.lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def upgrade(db=None):
    """Apply every pending migration under the migration lock; existing data is kept.

    Returns the names applied, "set:name".
    """
    db = db or get_db()
    sets = migration_sets()
    if not any_pending(db, sets):
        return []  # every start after the first: one query, no lock
    applied = []
    path = db.execute("PRAGMA database_list").fetchone()[2]
    with migration_lock(path):
        for migrations in sets:
            pending = [m.name for m in migrations.pending(db)]
            migrations.apply(db)
            applied += [f"{migrations.name}:{name}" for name in pending]
    return applied


def any_pending(db, sets):
    """Whether any migration of `sets` is not recorded as applied (read-only, one query)."""
    table = sets[0].migrations_table if sets else None
    if table is None or not db[table].exists():
        return bool(sets)
    done = set(db.execute(f"SELECT migration_set, name FROM [{table}]").fetchall())
    # sqlite-utils keeps the registered steps in `_migrations`; its pending() queries once per set.
    return any((m.name, step.name) not in done for m in sets for step in m._migrations)


def healthy():
    """Whether the database answers (for /healthz)."""
    try:
        get_db().execute("SELECT 1").fetchone()
        return True
    except sqlite3.Error:
        return False


def new_uuid():
    return str(uuid_module.uuid4())


def is_uuid(value):
    try:
        return str(uuid_module.UUID(str(value))) == str(value).lower()
    except ValueError:
        return False


@click.group("db", help="Database maintenance.")
def db_cli():
    pass


@db_cli.command("upgrade", help="Apply pending schema migrations; existing data is kept.")
@with_appcontext
def upgrade_command():
    # The app applies pending migrations when it starts (this command's own start included).
    applied = current_app.extensions.get("cortile.migrated", []) + upgrade()
    for name in applied:
        click.echo(f"applied {name}")
    click.echo(f"Applied {len(applied)} migration(s)." if applied else "Database is up to date.")


def init_app(app):
    app.teardown_appcontext(close_db)
    app.cli.add_command(db_cli)
