"""One text rule at the boundary: every text a request brings (form fields, JSON strings, the names of
uploaded files) and every cell an import reads goes through `clean` before any code sees it. Query values
are read, never stored as they come (a search term is logged, and exports neutralise what they write).

1. Line breaks are normalised first (browsers send a textarea's lines as CRLF; Word pastes vertical tabs),
   then the text is NFC-normalised (one spelling for "è", whatever the keyboard).
2. Control characters (Unicode Cc) are refused, except tab and newline where several lines make sense,
   and so are the bidi controls U+202A-U+202E and U+2066-U+2069 (text that reads backwards on screen).
3. Every value has a length limit (forms set lower ones per field).

A refusal names the field; nothing is stored. Exports neutralise formulas themselves (fieldapp.sheets).
"""
import json
import re
import unicodedata

from flask import abort, g, has_request_context, request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict

BIDI = frozenset(map(chr, (*range(0x202A, 0x202F), *range(0x2066, 0x206A))))
# Every Unicode line break, CRLF first: one newline each.
LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
MAX_LENGTH = 20_000  # one value of any request; a 2,000-character description is the longest form field
MAX_FILENAME = 255


class TextRefused(ValueError):
    """A text the rule refuses: `field` names it, `reason` says why (a lazy, translated message)."""

    def __init__(self, field, reason):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def normalise(value):
    """Line breaks as \\n, then NFC."""
    return unicodedata.normalize("NFC", LINE_BREAKS.sub("\n", value))


def problem(value, multiline=True, max_length=MAX_LENGTH):
    """Why a normalised text is refused, or None."""
    if len(value) > max_length:
        return _l("The text is too long (at most %(max)d characters).", max=max_length)
    allowed = "\t\n" if multiline else ""
    for char in value:
        if char in BIDI:
            return _l("The text holds a character that changes the writing direction (U+%(code)04X).",
                      code=ord(char))
        if unicodedata.category(char) == "Cc" and char not in allowed:
            return (_l("The text holds a control character (U+%(code)04X): type it again or paste it as plain "
                       "text.", code=ord(char)) if char not in "\t\n" else _l("This field takes one line only."))
    return None


def clean(value, field, multiline=True, max_length=MAX_LENGTH):
    """The text as the rule wants it; TextRefused names the field otherwise."""
    value = normalise(value)
    reason = problem(value, multiline, max_length)
    if reason is not None:
        raise TextRefused(field, reason)
    return value


def _cleaned_pairs(multidict, multiline):
    pairs = []
    for key, value in multidict.items(multi=True):
        cleaned = clean(value, key, multiline)
        if cleaned != value:
            g.setdefault("text_originals", {})[cleaned] = value
        pairs.append((clean(key, key, False, 200), cleaned))
    return ImmutableMultiDict(pairs)


def originals():
    """{text as the rule left it: text as it was sent}, for this request's values the rule changed."""
    return g.get("text_originals", {}) if has_request_context() else {}


def _walk(value, path="body"):
    """Every string of a JSON document, with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(key, path)
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def check_request():
    """The rule over the whole request, before any view: refused with 422 naming the field (errors.py)."""
    try:
        if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            request.form = _cleaned_pairs(request.form, multiline=True)
            for name, upload in request.files.items(multi=True):
                if upload.filename:
                    upload.filename = clean(upload.filename, name, multiline=False, max_length=MAX_FILENAME)
        elif request.is_json:
            document = request.get_json(silent=True)
            for where, text in _walk(document):
                clean(text, where)
    except TextRefused as refused:
        abort(422, description=refused)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        abort(400)


def init_app(app):
    app.before_request(check_request)
