"""Reporting periods: a month, a quarter, a heating season, a project year, or the project to date, by key.

Keys: "2026-11" (month), "2026-Q4" (quarter), "2025-26" (heating season), "PY2" (project year N) and
"project" (from the project's first day to today). A period is a half-open span of local days
[start, end); records stored in local wall-clock time compare with `local_since/until`, records
stored in UTC (`*_at` columns) with `utc_since/until`.

The project's calendar is configuration: PROJECT_START and PROJECT_END (its first and last day) and
HEATING_SEASONS (each programme season's first and last day). Project years run twelve months from
PROJECT_START; the last one ends with the project, so extending the project moves that end only.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app

from fieldapp.clock import iso, local_today, local_zone

KINDS = ("month", "quarter", "season", "project_year", "project")
CLOSABLE = ("month", "quarter", "project_year")
SEASON_START = (10, 15)  # 15 October: a season not in HEATING_SEASONS runs 15 Oct - 15 Apr
SEASON_END = (4, 15)  # 15 April of the next year, its last day
DAY = timedelta(days=1)


class PeriodError(ValueError):
    """A period key that names no period."""


@dataclass(frozen=True)
class Period:
    kind: str
    key: str
    start: date  # first local day
    end: date  # first local day after the period
    # Heating seasons the period stands for: money "for a season" (paid for it, whenever credited) is
    # counted by season when there are any, by the day it was credited otherwise.
    seasons: tuple = ()

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

    @property
    def last(self):
        """The period's last local day."""
        return self.end - DAY

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
        if self.kind != "project_year":
            raise PeriodError("the project to date has no year before")
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
    if key == "project":
        return project()
    if m := re.fullmatch(r"(\d{4})-(\d{2})", key):
        year, second = int(m[1]), int(m[2])
        if year < 2012:
            raise PeriodError(key)
        if second == (year + 1) % 100:
            return season(key)
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
        return project_year(int(m[1]))
    raise PeriodError(key)


def season(key):
    """A heating season: its days from HEATING_SEASONS, else 15 October to 15 April (both included)."""
    year = int(key[:4])
    first, last = current_app.config["HEATING_SEASONS"].get(key) or (
        date(year, *SEASON_START).isoformat(), date(year + 1, *SEASON_END).isoformat())
    return Period("season", key, date.fromisoformat(first), date.fromisoformat(last) + DAY, (key,))


def project_year(number):
    """Project year N: twelve months from the project's start, the last one cut at the project's end."""
    start = _add_years(project_start(), number - 1)
    if start > project_end():
        raise PeriodError(f"PY{number}")
    return Period("project_year", f"PY{number}", start, min(_add_years(project_start(), number), project_end() + DAY))


def project():
    """The project to date: from its first day to today (or to its last day, once it is over)."""
    start = project_start()
    return Period("project", "project", start, max(start + DAY, min(local_today() + DAY, project_end() + DAY)))


def to_date(period):
    """From the project's first day to the end of `period`: the running total's span.

    After a season, the running total of money counts the programme's seasons up to that one.
    """
    seasons = tuple(s.key for s in calendar_seasons() if s.start <= period.start) if period.seasons else ()
    end = min(period.end, project_end() + DAY)
    return Period("to_date", f"{period.key}", project_start(), max(end, project_start() + DAY), seasons)


def span(start, end, seasons=()):
    """Any run of days [start, end): a piece of a period, computed live."""
    return Period("span", f"{start.isoformat()}/{end.isoformat()}", start, end, seasons)


def months_of(period):
    """The months that overlap the period, in order."""
    out, day = [], period.start.replace(day=1)
    while day < period.end:
        month = of_day("month", day)
        out.append(month)
        day = month.end
    return out


def within_project(period):
    """True when the period has at least one day of the project."""
    return period.start <= project_end() and period.end > project_start()


def calendar_seasons():
    """The programme's heating seasons (HEATING_SEASONS), in order."""
    return sorted((season(key) for key in current_app.config["HEATING_SEASONS"]), key=lambda p: p.start)


def project_years():
    """Every project year of the calendar, in order."""
    out, number = [], 1
    while _add_years(project_start(), number - 1) <= project_end():
        out.append(project_year(number))
        number += 1
    return out


def of_day(kind, day):
    """The period of `kind` that contains the local day `day`."""
    if kind == "month":
        return parse(f"{day.year}-{day.month:02d}")
    if kind == "quarter":
        return parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    if kind == "season":
        known = next((s for s in calendar_seasons() if s.contains(day)), None)
        if known:
            return known
        year = day.year if (day.month, day.day) >= SEASON_START else day.year - 1
        return parse(f"{year}-{(year + 1) % 100:02d}")
    if kind == "project_year":
        years = project_years()
        return next((y for y in years if y.contains(day)), years[0] if day < years[0].start else years[-1])
    if kind == "project":
        return project()
    raise PeriodError(kind)


def project_start():
    """The first day of the project (setting PROJECT_START, an ISO day)."""
    return date.fromisoformat(current_app.config["PROJECT_START"])


def project_end():
    """The last day of the project (setting PROJECT_END, an ISO day): an extension moves it, and only it."""
    return date.fromisoformat(current_app.config["PROJECT_END"])


def _add_years(day, years):
    return day.replace(year=day.year + years)


def local_zone_midnight(day):
    """The UTC timestamp (ISO, Z) at which the local day `day` begins."""
    return iso(datetime.combine(day, time(), local_zone()))
