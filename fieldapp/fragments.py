"""Rendered template fragments kept per process, keyed by the reader's scope, the language and the data.

In a template: `{% call cached("name", part, ...) %}...{% endcall %}`. The key always holds the
template, the name, the language, the reader's scope (role and presidio) and where the app is mounted,
so a fragment rendered for one presidio is never shown to another; the parts add what else the body
depends on: the request's query, and `data_version(...)` when the body shows stored data.
"""
import threading
from collections import OrderedDict

from flask import current_app, has_request_context, request
from flask_login import current_user
from jinja2 import pass_context

from fieldapp.db import get_db

# About 10 KB a list fragment: a few MB per worker at most.
MAX_ENTRIES = 1024


class LRU:
    """A small thread-safe least-recently-used map (gthread workers render in several threads)."""

    def __init__(self, size=MAX_ENTRIES):
        self.size = size
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value):
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self):
        with self.lock:
            self.items.clear()


def scope():
    """Whose view a fragment is: role and presidio. Fragments are shared only within one scope."""
    user = current_user if has_request_context() else None
    if not user or not user.is_authenticated:
        return ("anonymous", None)
    return (user.role, user.presidio_code)


def data_version(name):
    """The write counter of a group of tables, bumped by triggers (see registry m004_data_versions).

    Read it BEFORE the data a fragment shows: a fragment is then never older than its key.
    """
    row = get_db().execute("SELECT version FROM data_versions WHERE name = ?", [name]).fetchone()
    if row is None:
        # A key without its version would never be retired: refuse rather than serve stale pages.
        raise LookupError(f"no data version {name!r}")
    return row[0]


class Lazy:
    """A value computed on first use: the query behind a cached fragment runs only when it is missed."""

    def __init__(self, compute):
        self._compute = compute
        self._done = False
        self._value = None

    def value(self):
        if not self._done:
            self._value, self._done = self._compute(), True
        return self._value

    def __getattr__(self, name):
        return getattr(self.value(), name)

    # Templates also test, count and loop over it.
    def __bool__(self):
        return bool(self.value())

    def __iter__(self):
        return iter(self.value())

    def __len__(self):
        return len(self.value())


@pass_context
def cached(context, name, *parts, caller):
    """The body rendered once per key; see the module docstring."""
    # Where the app is mounted too: fragments hold links.
    key = (context.name, name, context.get("current_locale"), scope(),
           request.script_root if has_request_context() else None,
           *(tuple(p) if isinstance(p, list) else p for p in parts))
    store = current_app.extensions["cortile.fragments"]
    html = store.get(key)
    if html is None:
        html = caller()
        store.put(key, html)
    return html


def init_app(app):
    # One store per app, so per database: two apps in one process (tests) never share fragments.
    app.extensions["cortile.fragments"] = LRU()
    app.jinja_env.globals["cached"] = cached
