"""Period close: the completeness check, the lock with its snapshot, reopening, and what changed after close.

A month is closed after its completeness check; a quarter or a project year once every month in it is
closed (their sums add up from the months' snapshots: fieldapp.governance.compose).
"""
import json
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from fieldapp.audit import audit
from fieldapp.clock import local_today, now
from fieldapp.governance import compose, linea2, mail, records, target_queries
from fieldapp.governance.compose import CloseError, figures, lock_of, snapshot_figures
from fieldapp.indicators import periods

__all__ = ["CloseError", "figures", "lock_of", "snapshot_figures"]


def _parse(key):
    try:
        return periods.parse(key)
    except (periods.PeriodError, ValueError):  # ValueError: a year past 9999
        raise CloseError(_("There is no period %(key)s: a month is written like 2026-11, a quarter 2026-Q4, a "
                           "heating season 2025-26, a project year PY1, the whole project so far: project.",
                           key=(key or "")[:20])) from None


def _in_project(period):
    if not periods.within_project(period):
        raise CloseError(_("%(period)s is outside the project, which runs from %(start)s to %(end)s.",
                           period=period.key, start=format_date(periods.project_start(), "dd/MM/yyyy"),
                           end=format_date(periods.project_end(), "dd/MM/yyyy")))
    return period


def report_period(key):
    """Any period of the project a report can be made for; a CloseError saying what a key looks like."""
    return _in_project(_parse(key))


def closable(key):
    """A month, a quarter or a project year of the project; anything else a CloseError."""
    period = _parse(key)
    if period.kind not in periods.CLOSABLE:
        raise CloseError(_("Only a month, a quarter or a project year can be closed; %(key)s is not one.",
                           key=period.key))
    return _in_project(period)


@dataclass
class Check:
    period: object
    late: list = field(default_factory=list)
    open: list = field(default_factory=list)
    idle: list = field(default_factory=list)
    running: bool = False  # the month is not over yet
    open_months: list = field(default_factory=list)  # a quarter or a project year: months not closed yet

    @property
    def passes(self):
        return not (self.late or self.open or self.idle or self.running or self.open_months)

    def problems(self):
        """One sentence per problem, naming the period and the presidio."""
        key, out = self.period.key, []
        if self.open_months:
            out.append(_("%(period)s has months still open: %(months)s.", period=key,
                         months=", ".join(m.key for m in self.open_months)))
        if self.running:
            out.append(_("%(period)s is not over yet: records of its last days may still arrive.", period=key))
        for code, rows in _by_presidio(self.open).items():
            out.append(ngettext("%(period)s, %(where)s: %(num)d record still waiting for photos from a phone.",
                                "%(period)s, %(where)s: %(num)d records still waiting for photos from a phone.",
                                len(rows), period=key, where=_where(code)))
        for code, rows in _by_presidio(self.late).items():
            out.append(ngettext("%(period)s, %(where)s: %(num)d record entered late.",
                                "%(period)s, %(where)s: %(num)d records entered late.", len(rows), period=key,
                                where=_where(code)))
        for presidio in self.idle:
            out.append(_("%(period)s, %(where)s: no activity recorded.", period=key,
                         where=_where(f"{presidio['code']} {presidio['name']}")))
        return out


def _where(code):
    return _("presidio %(code)s", code=code) if code else _("no presidio (individual plans, quartiere meetings)")


def _by_presidio(rows):
    out = {}
    for row in rows:
        out.setdefault(row["presidio"], []).append(row)
    return out


def check(db, period):
    """A month's completeness check (late records, records waiting for photos, idle presidi); for a quarter or a
    project year, its months not closed yet."""
    if period.kind != "month":
        return Check(period, open_months=[m for m in periods.months_of(period) if lock_of(db, m.key) is None])
    days = int(current_app.config["GOVERNANCE_LATE_DAYS"])
    return Check(period, late=records.late_records(db, period, days), open=records.open_records(db, period),
                 idle=records.idle_presidi(db, period), running=local_today() < period.end)


def enclosing_locks(db, period):
    """The closed quarters and project years a month belongs to."""
    if period.kind != "month":
        return []
    around = [periods.of_day("quarter", period.start), periods.of_day("project_year", period.start)]
    return [p for p in around if lock_of(db, p.key)]


def settings(db, period):
    """What a closed period's report keeps besides its figures: targets, hourly rates, the heating rules and
    each heating season's figures (Linea 2)."""
    return {"targets": target_queries.targets(db), "rates": target_queries.rates(db),
            "heating_rules": target_queries.heating_rules(),
            "seasons": linea2.to_json(linea2.season_figures(db, period))}


def lock(db, period, user, acknowledged=False):
    """Lock a period: its figures, the running totals, record fingerprints and staff activity, in one transaction."""
    if local_today() < period.start:
        raise CloseError(_("%(period)s has not started yet: there is nothing to close.", period=period.key))
    with db.atomic():
        if lock_of(db, period.key):
            raise CloseError(_("%(period)s is already closed.", period=period.key))
        found = check(db, period)
        if found.open_months:
            raise CloseError(" ".join([_("%(period)s was not closed:", period=period.key), *found.problems(),
                                       _("Close its months first.")]))
        if not found.passes and not acknowledged:
            raise CloseError(" ".join([_("%(period)s was not closed:", period=period.key), *found.problems(),
                                       _("Check the list, then confirm that you close it anyway.")]))
        at = now()
        snapshot = db["period_snapshots"].insert({"period_key": period.key, "taken_at": at,
                                                  "taken_by": user.id}).last_pk
        to_date = periods.to_date(period)
        for table, found_values in (("snapshot_values", compose.values(db, period)),
                                    ("snapshot_to_date", compose.values(db, to_date))):
            db[table].insert_all({"snapshot_id": snapshot, "indicator_code": c, "by": b, "key": k, "value": v}
                                 for (c, b, k), v in found_values.items())
        if period.kind == "month":
            # Thousands of rows at scale: executemany, not sqlite-utils' per-row dict handling.
            db.conn.executemany("INSERT INTO snapshot_records (snapshot_id, source, record_id, fingerprint) "
                                "VALUES (?, ?, ?, ?)",
                                [(snapshot, t, r, f) for (t, r), f in records.fingerprints(db, period).items()])
        # The months before the period too: the running total of hours is rebuilt from the snapshot alone.
        db["snapshot_activity"].insert_all({"snapshot_id": snapshot, **row} for row in compose.activity(db, to_date))
        db["snapshot_settings"].insert_all({"snapshot_id": snapshot, "name": name, "value": json.dumps(value)}
                                           for name, value in settings(db, period).items())
        db["locked_periods"].insert({"period_key": period.key, "kind": period.kind,
                                     "starts_on": period.start.isoformat(),
                                     "ends_on": (period.end - timedelta(days=1)).isoformat(),
                                     "locked_at": at, "locked_by": user.id, "snapshot_id": snapshot})
        db["period_events"].insert({"period_key": period.key, "action": "locked", "reason": None if found.passes else
                                    "; ".join(found.problems())[:2000], "at": at, "user_id": user.id})
        audit("period_locked", target=period.key, detail={"snapshot": snapshot, "acknowledged": not found.passes},
              user=user, db=db)
        mail.month_closed(db, period, acknowledged=not found.passes)
    return snapshot


def reopen(db, period, user, reason):
    """Reopen a locked period: needs a reason, kept in period_events and the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise CloseError(_("Say why %(period)s is reopened: the reason is kept with the period.", period=period.key))
    if len(reason) > 500:
        raise CloseError(_("The reason is too long (at most 500 characters)."))
    with db.atomic():
        row = lock_of(db, period.key)
        if row is None:
            raise CloseError(_("%(period)s is not closed.", period=period.key))
        around = enclosing_locks(db, period)
        if around:
            raise CloseError(_("%(period)s is part of %(closed)s, which is closed: reopen it first.",
                               period=period.key, closed=", ".join(p.key for p in around)))
        db.execute("DELETE FROM locked_periods WHERE period_key = ?", [period.key])
        db["period_events"].insert({"period_key": period.key, "action": "reopened", "reason": reason, "at": now(),
                                    "user_id": user.id})
        audit("period_reopened", target=period.key, detail={"snapshot": row["snapshot_id"], "reason": reason},
              user=user, db=db)


def events(db, key):
    return list(db.query("SELECT e.*, u.role FROM period_events e LEFT JOIN users u ON u.id = e.user_id "
                         "WHERE period_key = ? ORDER BY e.id DESC", [key]))


def changes_after_close(db, period, lock_row):
    """What moved since the lock: figures (at close vs now) and, for a month, the records behind them."""
    before = snapshot_figures(db, lock_row["snapshot_id"])
    live = figures(db, period)
    moved = [{"code": c, "by": b, "key": k, "at_close": before.get((c, b, k)), "now": live.get((c, b, k))}
             for (c, b, k) in sorted(set(before) | set(live)) if before.get((c, b, k)) != live.get((c, b, k))]
    stored = {(r["source"], r["record_id"]): r["fingerprint"] for r in db.query(
        "SELECT * FROM snapshot_records WHERE snapshot_id = ?", [lock_row["snapshot_id"]])}
    current = records.fingerprints(db, period) if period.kind == "month" else {}
    changed = []
    for key in sorted(set(stored) | set(current)):
        if stored.get(key) == current.get(key):
            continue
        kind = "added" if key not in stored else "removed" if key not in current else "changed"
        changed.append({"table": key[0], "id": key[1], "kind": kind})
    info = records.describe(db, [(c["table"], c["id"]) for c in changed])
    for row in changed:
        labels = {s.table: s.label for s in records.SOURCES}
        row.update(info.get((row["table"], row["id"]), {"label": labels.get(row["table"], row["table"]), "day": None,
                                                        "presidio": None, "page": ()}))
    return {"figures": moved, "records": changed}
