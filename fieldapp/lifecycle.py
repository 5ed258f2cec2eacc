"""How long records live: the retention and erasure steps each area declares for its own tables, and the
statutory holds on records that back money paid.

The privacy area runs them (`flask retention apply`, `flask households erase`) without naming any other
area's table: what an area does not declare, privacy handles by the generic rule (rows naming the
household are deleted, or kept while a statutory hold lasts).
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fieldapp import clock

# Reg. (EU) 2021/1060 art. 82: 5 years from 31 December of the year of the last payment.
STATUTORY_YEARS = 5
HOUSEHOLD_COLUMNS = ("household_id", "household_code")


@dataclass(frozen=True)
class RetentionStep:
    """A retention rule an area applies to its own records (GDPR art. 5(1)(e)).

    `run(db, days, dry_run)` returns [(label, count)]: what it changed, or would change. Its days come
    from `days` (a default the RETENTION setting may override under `kind`), or from the setting named
    `setting`, or from the area's own rules (neither: `days` is None when it runs).
    """

    kind: str
    run: Callable
    days: int | None = None
    setting: str | None = None


@dataclass(frozen=True)
class ErasureStep:
    """What an area does to its records of one household on erasure (GDPR art. 17).

    `run(db, household, held)` returns (done, kept) lines, inside the erasure's transaction; `held` is
    true while records naming the household stay (statutory holds, locked periods): then rows that
    back them stay too. `tables` are every table of the area that names a household.
    """

    tables: tuple
    run: Callable


@dataclass(frozen=True)
class StatutoryHold:
    """A table backing money paid: its rows stay 5 years from 31 December of the year of the last payment.

    `key` is its household column; `dated` the columns that may hold the payment date, first found wins.
    """

    table: str
    key: str
    dated: tuple


def rows_of(*tables):
    """An erasure step for tables whose rows are the household's own: deleted, or kept while held."""

    def run(db, household, held):
        done, kept = [], []
        for table in tables:
            if not table_exists(db, table):
                continue
            key = household_key(db, table, household)
            if held:
                count = db.execute(f"SELECT COUNT(*) FROM {table} WHERE {key[0]} = ?", [key[1]]).fetchone()[0]
                if count:
                    kept.append(f"{table}: {count} rows kept (they back the statutory records below)")
            else:
                count = db.execute(f"DELETE FROM {table} WHERE {key[0]} = ?", [key[1]]).rowcount
                if count:
                    done.append(f"{table}: {count} rows removed")
        return done, kept

    return ErasureStep(tables=tuple(tables), run=run)


def household_key(db, table, household):
    """(column, value) naming the household in `table`, or None."""
    cols = columns(db, table)
    for column in HOUSEHOLD_COLUMNS:
        if column in cols:
            return column, household["id"] if column == "household_id" else household["code"]
    return None


def table_exists(db, name):
    return bool(db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone())


def columns(db, name):
    return [row[1] for row in db.execute(f"PRAGMA table_info({name})")]


def held_until(db, table, key, value, dated):
    """(rows, kept until) of the household's rows in a statutory table, or None when nothing holds."""
    found = [c for c in dated if c in columns(db, table)]
    row = db.execute(f"SELECT COUNT(*), {f'MAX({found[0]})' if found else 'NULL'} FROM {table} WHERE {key} = ?",
                     [value]).fetchone()
    if not row[0]:
        return None
    # Without a readable payment date the year is this one: the safe side.
    year = int(row[1][:4]) if row[1] else clock.local_today().year
    until = date(year + STATUTORY_YEARS, 12, 31)
    return (row[0], until) if until >= clock.local_today() else None


def locked_until(db, day):
    """The end of the statutory hold on records dated `day` inside a locked reporting period, or None."""
    if not table_exists(db, "locked_periods") or not {"starts_on", "ends_on"} <= set(columns(db, "locked_periods")):
        return None
    row = db.execute("SELECT MAX(ends_on) FROM locked_periods WHERE starts_on <= ? AND ends_on >= ?",
                     [day[:10], day[:10]]).fetchone()
    if not row[0]:
        return None
    until = date(int(row[0][:4]) + STATUTORY_YEARS, 12, 31)
    return until if until >= clock.local_today() else None
