"""One redirect rule: a `next` the request brings is followed only when it is a path on this site.

Browsers forgive a lot in a Location: they drop tabs and newlines, read a backslash as a slash and a
leading "//" as another host, so "/\t/evil.example" leads away. Here a target is accepted only when it
starts with one "/" and holds no scheme, no host, no backslash, no whitespace and no control character;
its path, once percent-decoded, must not start another host or hold a backslash or a control either.
Anything else: the caller's default (the role's home).
"""
import unicodedata
from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2000


def local_path(target):
    """`target` if it is a path on this site, else None."""
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return None
    if not target.startswith("/") or target.startswith("//") or any(_refused(c) or c.isspace() for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)  # an escaped slash or control must not turn into another host either
    if path.startswith("//") or any(_refused(c) for c in path):
        return None
    return target


def _refused(c):
    return c == "\\" or unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")


def next_or(target, default):
    """Where to go after a form: `target` when it is safe (local_path), else `default`."""
    return local_path(target) or default
