"""Read and validate the monthly ledger CSV of the Servizio Alloggi: all rows or none.

Italian or English headers; `;` `,` or tab; UTF-8 (BOM or not) or Windows-1252; decimal comma or
point, with or without thousands separators. Decoding and separator sniffing are the registry's.
"""
import csv
import io
import re

from flask_babel import lazy_gettext as _l

from fieldapp.csvfiles import FileRefused, decode, delimiter_of

ALIASES = {
    "household_code": "household_code", "codice_nucleo": "household_code",
    "period": "period", "periodo": "period",
    "charged": "charged", "addebitato": "charged",
    "paid": "paid", "pagato": "paid",
    "balance": "balance", "saldo": "balance",
    "credits": "credits", "crediti": "credits",
}
REQUIRED = ("household_code", "period", "charged", "paid", "balance")
AMOUNTS = ("charged", "paid", "balance", "credits")
PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_ERRORS = 200


class LedgerError(Exception):
    """The file cannot be imported; `errors` lists (row number, reason); row 0 is the whole file."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def read(raw):
    """Rows as (number, {column: text}) with canonical column names."""
    if not raw.strip():
        raise LedgerError([(0, _l("The file is empty."))])
    try:
        text = decode(raw)
    except FileRefused as error:
        raise LedgerError(error.errors) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    header = next(reader, [])
    columns = [ALIASES.get(h.strip().lower().replace(" ", "_")) for h in header]
    unknown = [h for h, c in zip(header, columns, strict=True) if c is None and h.strip()]
    missing = [c for c in REQUIRED if c not in columns]
    if missing or unknown:
        reasons = []
        if missing:
            reasons.append(_l("Missing columns: %(names)s.", names=", ".join(missing)))
        if unknown:
            reasons.append(_l("Unknown columns: %(names)s.", names=", ".join(unknown)))
        reasons.append(_l("Expected: codice_nucleo;periodo;addebitato;pagato;saldo[;crediti], "
                          "or the English names."))
        raise LedgerError([(1, " ".join(str(r) for r in reasons))])
    rows = []
    width = len(columns)
    for number, values in enumerate(reader, start=2):
        if not "".join(values).strip():
            continue
        if len(values) > width:
            raise LedgerError([(number, _l("More fields than columns: check the separator or the quotes."))])
        row = dict(zip(columns, map(str.strip, values), strict=False))
        row.pop(None, None)
        rows.append((number, row))
    if not rows:
        raise LedgerError([(0, _l("The file has a header but no rows."))])
    return rows


def decimal_mark(rows):
    """The file's decimal separator: the one seen before 1-2 final digits; Italian comma otherwise."""
    for _number, row in rows:
        for column in AMOUNTS:
            value = row.get(column) or ""
            if re.search(r",\d{1,2}$", value):
                return ","
            if re.search(r"\.\d{1,2}$", value):
                return "."
    return ","


NUMBER = re.compile(r"([-+]?)(\d+)(?:\.(\d{1,2}))?")
# Currency signs and spaces people and spreadsheets put around amounts.
NOISE = {ord(c): None for c in "€ \u00a0\u202f'"}


def amount(value, mark):
    """Cents from '1.234,56', '1,234.56', '-12,5', '€ 300'; ValueError when it is not a number.

    Integer arithmetic on the digits: exact, and no rounding is needed for at most two decimals.
    """
    thousands = "." if mark == "," else ","
    # Fast path, the usual export: digits, separators and perhaps a minus sign.
    whole, _sep, fraction = value.replace(thousands, "").partition(mark)
    digits = whole[1:] if whole[:1] == "-" else whole
    if digits.isdigit() and len(fraction) <= 2 and (not fraction or fraction.isdigit()) and digits.isascii():
        cents = int(digits) * 100 + int(fraction.ljust(2, "0") if fraction else 0)
        return -cents if whole[:1] == "-" else cents
    text = value.translate(NOISE).replace("EUR", "")
    text = text.replace("." if mark == "," else ",", "")
    if mark == ",":
        text = text.replace(",", ".")
    match = NUMBER.fullmatch(text)
    if match is None:
        raise ValueError(value)
    sign, whole, fraction = match.groups()
    cents = int(whole) * 100 + int((fraction or "0").ljust(2, "0"))
    return -cents if sign == "-" else cents


def validate(rows, households, latest_period):
    """Clean rows {household_id, code, period, charged, paid, credits, balance}, or LedgerError."""
    mark = decimal_mark(rows)
    errors, clean, seen, good_periods = [], [], {}, set()
    for number, row in rows:
        before = len(errors)
        code = row.get("household_code", "")
        household_id = households.get(code)
        if not code:
            errors.append((number, _l("The household code is empty.")))
        elif household_id is None:
            errors.append((number, _l("Unknown household %(code)s.", code=code)))
        period = row.get("period", "")
        if period in good_periods:
            pass
        elif not PERIOD.match(period):
            errors.append((number, _l("The period must be YYYY-MM, not \"%(value)s\".", value=period)))
        elif period > latest_period:
            errors.append((number, _l("The period %(period)s is in the future.", period=period)))
        else:
            good_periods.add(period)
        values = {}
        for column in AMOUNTS:
            text = row.get(column) or ""
            if column == "credits" and not text:
                values[column] = None
                continue
            try:
                values[column] = amount(text, mark)
            except ValueError:
                errors.append((number, _l("%(column)s is not an amount: \"%(value)s\".", column=column, value=text)))
        for column in ("charged", "paid", "credits"):
            if (values.get(column) or 0) < 0:
                errors.append((number, _l("%(column)s cannot be negative.", column=column)))
        key = (code, period)
        if code and key in seen:
            errors.append((number, _l("Duplicate row: %(code)s %(period)s is already on row %(row)s.",
                                      code=code, period=period, row=seen[key])))
        seen.setdefault(key, number)
        if len(errors) == before:
            clean.append({"household_id": household_id, "code": code, "period": period, **values})
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise LedgerError(errors)
    return clean
