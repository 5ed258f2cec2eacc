"""The one writer of downloads: CSV for Italian Excel, XLSX cells, XML text.

Every cell of a CSV or a workbook and every XML text node passes through `text`: characters XML 1.0 forbids
(openpyxl's ILLEGAL_CHARACTERS_RE, which would make it raise) and bidi controls become U+FFFD, and text that a
spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe; a plain number written
as text ("-30,50") stays as it is.

A table is `columns` [(key, header)], `rows` [dict keyed like columns] and an optional `totals` row.
Cell types drive the format: Decimal is money, date and datetime are real dates in the workbook.
"""
import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

from flask import current_app

from fieldapp import clock
from fieldapp.text import BIDI

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
MIMETYPES = {"csv": CSV_MIMETYPE, "xlsx": XLSX_MIMETYPE, "pdf": "application/pdf"}
# XML 1.0's forbidden characters (openpyxl refuses the same C0 controls) and the bidi controls the text rule
# refuses (they reorder what a reader sees); tab, LF and CR are allowed.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff" + "".join(sorted(BIDI)) + "]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Numbers written as text ("-30,50", "1.234,56", "-30.5", "+12") and a lone "-" (no figure) run nothing.
PLAIN_NUMBER = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+|\d+)([.,]\d+)?|-")


def xml_text(value):
    """Text any XML parser reads: the characters XML 1.0 forbids (and bidi controls) as U+FFFD."""
    return UNSAFE.sub("\ufffd", str(value))


def text(value):
    """A text cell: XML-safe, and never a formula (a leading apostrophe), unless it is a plain number."""
    cleaned = xml_text(value)
    if cleaned.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cleaned):
        return "'" + cleaned
    return cleaned


def cell(value):
    """A workbook cell: numbers, dates and None as they are (Decimal as float), anything else as `text`."""
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, bool | int | float | date):
        return value
    return text(value)


def append(sheet, values):
    """Append a row to an openpyxl sheet, each value through `cell`."""
    sheet.append([cell(value) for value in values])


def local_moment(timestamp, seconds=False):
    """A stored UTC '...Z' timestamp as a naive local datetime (spreadsheets have no zones)."""
    if not timestamp:
        return None
    moment = datetime.strptime(timestamp, clock.ISO).replace(tzinfo=UTC)
    moment = moment.astimezone(clock.local_zone()).replace(tzinfo=None)
    return moment if seconds else moment.replace(second=0)


def day(value):
    """A stored 'YYYY-MM-DD' (or the date part of a timestamp) as a date; None stays None."""
    return date.fromisoformat(value[:10]) if value else None


def _cell_text(value):
    """A CSV cell for Italian Excel: decimal comma, ISO dates, and no formula injection from typed text."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, float):
        return f"{value}".replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return text(value)


def csv_bytes(rows):
    """Rows (lists, the header first) as UTF-8 with a BOM and ';' between fields: what Excel set to Italian
    opens without asking; every cell through the writer's rule."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_csv(columns, rows, totals=None):
    """A table as CSV (`csv_bytes`)."""
    keys = [key for key, _header in columns]
    return csv_bytes([[str(header) for _key, header in columns],
                      *([row[key] for key in keys] for row in [*rows, *([totals] if totals else [])])])


def _number_format(value):
    if isinstance(value, Decimal):
        return "#,##0.00"
    if isinstance(value, datetime):
        return "dd/mm/yyyy hh:mm:ss" if value.second else "dd/mm/yyyy hh:mm"
    if isinstance(value, date):
        return "dd/mm/yyyy"
    return None


def to_xlsx(columns, rows, title, totals=None):
    """One sheet: bold frozen header with an autofilter over the data, typed cells, a bold totals row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)[:31]
    keys = [key for key, _header in columns]
    append(sheet, [str(header) for _key, header in columns])
    for row in rows:
        append(sheet, [row[key] for key in keys])
    last_data_row = sheet.max_row
    if totals:
        append(sheet, [totals[key] for key in keys])
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    if totals:
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    for index, key in enumerate(keys, start=1):
        letter = get_column_letter(index)
        for cell, row in zip(sheet[letter][1:], [*rows, *([totals] if totals else [])], strict=True):
            fmt = _number_format(row[key])
            if fmt:
                cell.number_format = fmt
        sheet.column_dimensions[letter].width = max(10, min(40, len(str(sheet[f"{letter}1"].value)) + 2))
    sheet.freeze_panes = "A2"
    # The filter covers the data, not the totals: sorting must not move the totals into the rows.
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(keys)))}{max(1, last_data_row)}"
    return workbook_bytes(workbook)


def workbook_bytes(workbook):
    """An openpyxl workbook saved to bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(body, fmt, filename):
    """The file as an attachment nobody caches; `filename` without its extension."""
    response = current_app.response_class(body, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response
