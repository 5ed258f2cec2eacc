"""Tables as downloads: CSV for Italian Excel and XLSX with real dates, an autofilter and a frozen header.

A table is `columns` [(key, header)], `rows` [dict keyed like columns] and an optional `totals` row.
Cell types drive the format: Decimal is money, date and datetime are real dates in the workbook.
"""
import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

from flask import current_app

from fieldapp import clock

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


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
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(columns, rows, totals=None):
    """UTF-8 with a BOM and ';' between fields: what Excel set to Italian opens without asking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    keys = [key for key, _header in columns]
    writer.writerow([str(header) for _key, header in columns])
    for row in [*rows, *([totals] if totals else [])]:
        writer.writerow([_cell_text(row[key]) for key in keys])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # text, never a formula
    return value


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
    sheet.append([str(header) for _key, header in columns])
    for row in rows:
        sheet.append([_xlsx_value(row[key]) for key in keys])
    last_data_row = sheet.max_row
    if totals:
        sheet.append([_xlsx_value(totals[key]) for key in keys])
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(body, fmt, filename):
    """The file as an attachment nobody caches; `filename` without its extension."""
    response = current_app.response_class(body, mimetype=CSV_MIMETYPE if fmt == "csv" else XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response
