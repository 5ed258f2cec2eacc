"""The CSV files other offices send (registry, readings, bills, ledgers): their encodings and separators.

Separators `;` `,` or tab; UTF-8 (with or without BOM) or Latin-1/Windows-1252 from Excel. Every
importer validates all rows first and refuses the whole file with `FileRefused` naming the rows.
"""
import csv
import io

from flask_babel import lazy_gettext as _l

from fieldapp import text

YES = {"1", "si", "sì", "s", "yes", "y", "true", "x"}
# The largest file an office sends (a year of a 2,000-household ledger is under 1 MB), and the request
# around it: the form's other fields. Routes that take one say so with @body_limit(UPLOAD_LIMIT).
MAX_FILE = 5 * 1024 * 1024
MAX_CELL = 500  # characters: the longest field of any office's file is an address
UPLOAD_LIMIT = MAX_FILE + 64 * 1024
NO = {"", "0", "no", "n", "false"}


class FileRefused(Exception):
    """The file cannot be imported; `errors` lists (row number, reason)."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def decode(raw):
    """Text from bytes: UTF-8 (BOM stripped) when valid, else Windows-1252 as Excel writes it."""
    if not raw.strip():
        raise FileRefused([(0, _l("the file is empty"))])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict") if _cp1252_ok(raw) else raw.decode("latin-1")


def _cp1252_ok(raw):
    try:
        raw.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def delimiter_of(text):
    """The separator of a CSV export: whichever of ; , or tab the header line uses most."""
    header_line = text.splitlines()[0] if text.splitlines() else ""
    return max(";,\t", key=header_line.count)


def read_rows(text, columns, optional=(), aliases=None):
    """(row number, {column: text}) for each non-empty row; headers checked against `columns`."""
    delimiter = delimiter_of(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    header = [(aliases or {}).get(h, h) for h in header]
    missing = [c for c in columns if c not in header]
    unknown = [h for h in header if h not in columns and h not in optional]
    if missing or unknown:
        reasons = []
        if missing:
            reasons.append(str(_l("missing columns: %(names)s", names=", ".join(missing))))
        if unknown:
            reasons.append(str(_l("unknown columns: %(names)s", names=", ".join(unknown))))
        raise FileRefused([(1, _l("%(reasons)s (expected: %(columns)s)", reasons="; ".join(reasons),
                                  columns=";".join(columns)))])
    reader.fieldnames = header
    rows, errors = [], []
    for number, row in enumerate(reader, start=2):
        if None in row:
            raise FileRefused([(number, _l("more fields than columns (check the separator or quotes)"))])
        if any((v or "").strip() for v in row.values()):
            cells = {k: clean_cell(v, k, number, errors) for k, v in row.items()}
            rows.append((number, {**dict.fromkeys(optional, ""), **cells}))
    if errors:
        raise FileRefused(errors[:200])
    if not rows:
        raise FileRefused([(0, _l("the file has a header but no rows"))])
    return rows


def clean_cell(value, column, number, errors, max_length=MAX_CELL):
    """A cell through the text rule (fieldapp.text, one line); a refusal is added to `errors` by row and column."""
    try:
        return text.clean((value or "").strip(), column, multiline=False, max_length=max_length)
    except text.TextRefused as refused:
        errors.append((number, _l("%(column)s: %(reason)s", column=column, reason=refused.reason)))
        return ""
