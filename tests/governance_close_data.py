"""Test-only indicators for period close and the Region report, registered for a test and removed after."""
import contextlib
import re
import zlib

from fieldapp.db import get_db
from fieldapp.indicators.registry import EXTENSION_KEY, indicator, install

CODES = ("test.close_visits", "test.close_heating")


def visits_by_presidio(period, by=None, scope=None):
    """Home visits of the period; by presidio."""
    rows = get_db().query(
        "SELECT b.presidio_code AS p, count(*) AS n FROM visits v JOIN households h ON h.id = v.household_id "
        "JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id "
        "WHERE v.visited_at >= ? AND v.visited_at < ? GROUP BY 1", [period.start.isoformat(), period.end.isoformat()])
    counts = {r["p"]: r["n"] for r in rows if scope is None or r["p"] in scope}
    return counts if by == "presidio" else {None: sum(counts.values())}


def heating_contributions(period, by=None, scope=None):
    """Heating contributions on record (a Linea 2 figure)."""
    return {None: get_db().execute("SELECT count(*) FROM heating_contributions").fetchone()[0]}


@contextlib.contextmanager
def close_indicators(app):
    """Two test indicators in `app`'s registry for the block, as an area would declare them."""
    install(app, [indicator(CODES[0], "Visite di prova", service="tutoring", tables=("visits",),
                            disaggregations=("presidio",))(visits_by_presidio),
                  indicator(CODES[1], "Contributi di prova", service="heating",
                            tables=("heating_contributions",))(heating_contributions)])
    try:
        yield
    finally:
        for code in CODES:
            app.extensions[EXTENSION_KEY].pop(code, None)


def pdf_text(data):
    """The text a PDF shows, line by line, from its (zlib) content streams."""
    lines = []
    # By each stream's /Length: compressed bytes may end in a carriage return a pattern would take for the newline.
    streams = [data[m.end():m.end() + int(m[1])] for m in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", data)]
    for stream in streams:
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream
        for text in re.findall(rb"\((.*?)\)\s*Tj", content):
            lines.append(text.replace(rb"\(", b"(").replace(rb"\)", b")").decode("latin-1"))
    return lines


def cells(path_or_bytes):
    """{sheet: [row values]} of a workbook."""
    import io

    from openpyxl import load_workbook

    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    wb = load_workbook(source)
    return wb, {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
