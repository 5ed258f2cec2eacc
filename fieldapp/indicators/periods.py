"""Reporting periods: a month, a quarter, a heating season or a project year, by its key.

Keys: "2026-11" (month), "2026-Q4" (quarter), "2025-26" (heating season, 15 Oct - 15 Apr),
"PY2" (project year N, counted from the PROJECT_START setting). A period is a half-open span of
local days [start, end); records stored in local wall-clock time compare with `local_since/until`,
records stored in UTC (`*_at` columns) with `utc_since/until`.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from flask import current_app

from fieldapp.clock import iso, local_zone

KINDS = ("month", "quarter", "season", "project_year")
SEASON_START = (10, 15)  # 15 October
SEASON_END = (4, 15)  # 15 April of the next year


class PeriodError(ValueError):
    """A period key that names no period."""


@dataclass(frozen=True)
class Period:
    kind: str
    key: str
    start: date  # first local day
    end: date  # first local day after the period

    @property
    def local_since(self):
        return f"{self.start.isoformat()}T00:00"

    @property
    def local_until(self):
        return f"{self.end.isoformat()}T00:00"

    @property
    def utc_since(self):
        return iso(datetime.combine(self.start, time(), local_zone()))

    @property
    def utc_until(self):
        return iso(datetime.combine(self.end, time(), local_zone()))

    def contains(self, day):
        return self.start <= day < self.end

    def year_before(self):
        """The same period one year earlier (a project year: the one before)."""
        if self.kind == "month":
            return parse(f"{self.start.year - 1}-{self.start.month:02d}")
        if self.kind == "quarter":
            return parse(f"{self.start.year - 1}-Q{(self.start.month - 1) // 3 + 1}")
        if self.kind == "season":
            return parse(f"{self.start.year - 1}-{self.start.year % 100:02d}")
        number = int(self.key[2:])
        if number <= 1:
            raise PeriodError("no project year before the first")
        return parse(f"PY{number - 1}")


def parse(key):
    """The period a key names, or PeriodError.

    "YYYY-NN" is a heating season when NN is the next year's last two digits (2025-26), a month
    otherwise (2026-11): the two never meet after 2011.
    """
    key = (key or "").strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})", key):
        year, second = int(m[1]), int(m[2])
        if year < 2012:
            raise PeriodError(key)
        if second == (year + 1) % 100:
            return Period("season", key, date(year, *SEASON_START), date(year + 1, *SEASON_END))
        if not 1 <= second <= 12:
            raise PeriodError(key)
        return Period("month", key, date(year, second, 1), date(year + second // 12, second % 12 + 1, 1))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", key):
        year, quarter = int(m[1]), int(m[2])
        if year < 2012:
            raise PeriodError(key)
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
        return Period("quarter", key, start, end)
    if m := re.fullmatch(r"PY([1-9])", key):
        start, number = project_start(), int(m[1])
        return Period("project_year", key, _add_years(start, number - 1), _add_years(start, number))
    raise PeriodError(key)


def of_day(kind, day):
    """The period of `kind` that contains the local day `day`."""
    if kind == "month":
        return parse(f"{day.year}-{day.month:02d}")
    if kind == "quarter":
        return parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    if kind == "season":
        year = day.year if (day.month, day.day) >= SEASON_START else day.year - 1
        return parse(f"{year}-{(year + 1) % 100:02d}")
    if kind == "project_year":
        start = project_start()
        number = 1
        while _add_years(start, number) <= day:
            number += 1
        return parse(f"PY{min(number, 9)}")
    raise PeriodError(kind)


def project_start():
    """The first day of the project (setting PROJECT_START, an ISO day)."""
    return date.fromisoformat(current_app.config["PROJECT_START"])


def _add_years(day, years):
    return day.replace(year=day.year + years)


def local_zone_midnight(day):
    """The UTC timestamp (ISO, Z) at which the local day `day` begins."""
    return iso(datetime.combine(day, time(), local_zone()))
