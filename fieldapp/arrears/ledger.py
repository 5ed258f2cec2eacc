"""Read and validate the monthly ledger CSV of the Servizio Alloggi: all rows or none.

Italian or English headers; `;` `,` or tab; UTF-8 (BOM or not) or Windows-1252; decimal comma or
point, with or without thousands separators. Decoding and separator sniffing are the registry's.
"""
import csv
import io
import re

from flask_babel import lazy_gettext as _l

from fieldapp import bounds
from fieldapp.arrears import rules
from fieldapp.csvfiles import FileRefused, clean_cell, decode, delimiter_of

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
# How a message names a column: as the documented (Italian) header.
HEADERS = {"household_code": "codice_nucleo", "period": "periodo", "charged": "addebitato", "paid": "pagato",
           "balance": "saldo", "credits": "crediti"}
PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_ERRORS = 200


class LedgerError(FileRefused):
    """The ledger file cannot be imported; `errors` lists (row number, reason); row 0 is the whole file."""


def read(raw):
    """Rows as (number, {column: text}) with canonical column names."""
    if not raw.strip():
        raise LedgerError([(0, _l("The file is empty."))])
    try:
        text = decode(raw)
    except FileRefused as error:
        raise LedgerError(error.errors) from None  # one kind of refusal for the ledger's callers
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
    rows, errors = [], []
    width = len(columns)
    for number, values in enumerate(reader, start=2):
        if not "".join(values).strip():
            continue
        if len(values) > width:
            raise LedgerError([(number, _l("More fields than columns: check the separator or the quotes."))])
        row = {column: clean_cell(value, HEADERS.get(column, column), number, errors)
               for column, value in zip(columns, values, strict=False) if column is not None}
        rows.append((number, row))
    if errors:
        raise LedgerError(errors[:MAX_ERRORS])
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


BOUNDS = {"charged": "amount", "paid": "amount", "credits": "amount", "balance": "balance"}


def amount(value, mark, column="balance"):
    """Cents from '1.234,56', '1,234.56', '-12,5', '€ 300', within the column's bound; BoundError (a
    ValueError) when it is not an amount or is out of bounds."""
    return bounds.cents(BOUNDS[column], value, mark=mark)


def validate(rows, households, latest_period, earliest_period="0000-00"):
    """Clean rows {household_id, code, period, charged, paid, credits, balance}, or LedgerError.

    A period must fall between `earliest_period` and `latest_period` (YYYY-MM, both included).
    """
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
        elif period < earliest_period:
            errors.append((number, _l("The period %(period)s is before %(earliest)s: a ledger of the project "
                                      "starts at most a year before the project.", period=period,
                                      earliest=earliest_period)))
        else:
            good_periods.add(period)
        values = {}
        for column in AMOUNTS:
            text = row.get(column) or ""
            if column == "credits" and not text:
                values[column] = None
                continue
            try:
                values[column] = amount(text, mark, column)
            except bounds.BoundError as error:
                if error.kind == "range":
                    errors.append((number, _l("%(column)s: %(problem)s", column=HEADERS[column],
                                              problem=error.problem)))
                else:
                    errors.append((number, _l("%(column)s is not an amount: \"%(value)s\".", column=HEADERS[column],
                                              value=text[:40])))
        key = (code, period)
        if code and key in seen:
            errors.append((number, _l("Duplicate row: %(code)s %(period)s is already on row %(row)s.",
                                      code=code, period=period, row=seen[key])))
        seen.setdefault(key, number)
        if len(errors) == before:
            clean.append({"household_id": household_id, "code": code, "period": period, "row": number, **values})
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise LedgerError(errors)
    return clean


def continuity(rows, stored):
    """(row, message) where a balance does not follow from the month before: previous balance + charged - paid
    - credits, to the cent. `stored` maps (household_id, period) to the months already imported
    ({charged, paid, credits, balance}). A household's first month is not checked; nor is one after a gap.
    A month already imported right after one in the file must still follow from it."""
    in_file = {(r["household_id"], r["period"]): r for r in rows}
    errors = []
    for row in rows:
        number = row["row"]
        key = (row["household_id"], rules.add_months(row["period"], -1))
        before = in_file[key] if key in in_file else stored.get(key)
        if before is not None:
            expected = before["balance"] + row["charged"] - row["paid"] - (row["credits"] or 0)
            if expected != row["balance"]:
                errors.append((number, _l(
                    "saldo: %(balance)s does not follow from %(month)s: %(previous)s + %(charged)s charged - %(paid)s "
                    "paid - %(credits)s credits = %(expected)s.", balance=_eur(row["balance"]), month=key[1],
                    previous=_eur(before["balance"]), charged=_eur(row["charged"]), paid=_eur(row["paid"]),
                    credits=_eur(row["credits"] or 0), expected=_eur(expected))))
        after_key = (row["household_id"], rules.add_months(row["period"], 1))
        after = stored.get(after_key) if after_key not in in_file else None
        if after is not None and after["balance"] != row["balance"] + after["charged"] - after["paid"] - (
                after["credits"] or 0):
            errors.append((number, _l("saldo: %(month)s, already imported, would no longer follow from this balance "
                                      "(%(balance)s): import %(month)s again with it.", month=after_key[1],
                                      balance=_eur(row["balance"]))))
        if len(errors) >= MAX_ERRORS:
            break
    return errors


def _eur(cents):
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d}"
