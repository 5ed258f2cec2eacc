"""The SQLite store: one connection per request, numbered migrations, `db upgrade`."""
import contextlib
import importlib
import importlib.util
import sqlite3
import threading
import uuid as uuid_module
from datetime import datetime, timezone

import click
import sqlite_utils
from flask import current_app, g
from flask.cli import with_appcontext


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
    db = Database(conn)
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
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


def migration_sets():
    """Each area's Migrations set, in the order of fieldapp.AREAS."""
    from fieldapp import AREAS

    sets = []
    for area in AREAS:
        module = f"fieldapp.{area}.migrations"
        if importlib.util.find_spec(module):
            sets.append(importlib.import_module(module).migrations)
    return sets


def upgrade(db=None):
    """Apply every pending migration; existing data is kept."""
    db = db or get_db()
    applied = []
    for migrations in migration_sets():
        pending = [m.name for m in migrations.pending(db)]
        migrations.apply(db)
        applied += [f"{migrations.name}:{name}" for name in pending]
    return applied


def now():
    """Server time as an ISO 8601 UTC string, the format of every *_at column."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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
    applied = upgrade()
    click.echo(f"Applied {len(applied)} migration(s)." if applied else "Database is up to date.")


def init_app(app):
    app.teardown_appcontext(close_db)
    app.cli.add_command(db_cli)
