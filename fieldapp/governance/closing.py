"""Period close: the completeness check, the lock with its snapshot, reopening, and what changed after close."""
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from fieldapp.audit import audit
from fieldapp.clock import local_today, now
from fieldapp.governance import mail, records
from fieldapp.indicators import periods
from fieldapp.indicators.registry import available


class CloseError(Exception):
    """A refusal, with the message the coordinator reads."""


def month(key):
    """The month a key names; anything else a CloseError saying what a key looks like."""
    try:
        period = periods.parse(key)
    except (periods.PeriodError, ValueError):  # ValueError: a year past 9999
        raise CloseError(_("There is no period %(key)s: a month is written like 2026-11.",
                           key=(key or "")[:20])) from None
    if period.kind != "month":
        raise CloseError(_("Only a month can be closed; %(key)s is not a month.", key=period.key))
    return period


@dataclass
class Check:
    period: object
    late: list = field(default_factory=list)
    open: list = field(default_factory=list)
    idle: list = field(default_factory=list)
    running: bool = False  # the month is not over yet

    @property
    def passes(self):
        return not (self.late or self.open or self.idle or self.running)

    def problems(self):
        """One sentence per problem, naming the period and the presidio."""
        key, out = self.period.key, []
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
    """The completeness check of a month: late records, records waiting for photos, idle presidi."""
    days = int(current_app.config["GOVERNANCE_LATE_DAYS"])
    return Check(period, late=records.late_records(db, period, days), open=records.open_records(db, period),
                 idle=records.idle_presidi(db, period), running=local_today() < period.end)


def lock_of(db, key):
    """The locked_periods row of a period, or None when it is open."""
    return next(db.query("SELECT * FROM locked_periods WHERE period_key = ?", [key]), None)


def figures(db, period):
    """{(indicator code, by, key): value} of every available indicator: totals ('' '') and each disaggregation."""
    out = {}
    for indicator in available(db):
        if period.kind not in indicator.period_types:
            continue
        for by in ("", *indicator.disaggregations):
            try:
                found = indicator.value(period, by=by or None)
            except Exception as error:  # an area's function failed: say which, never freeze half the figures
                current_app.logger.exception("indicator %s failed for %s", indicator.code, period.key)
                raise CloseError(_("The indicator %(code)s could not be computed for %(period)s (%(error)s).",
                                   code=indicator.code, period=period.key, error=type(error).__name__)) from error
            for key, value in found.items():
                if by and key is None:
                    continue  # a disaggregation's own total repeats the indicator's
                out[(indicator.code, by, "" if key is None else str(key))] = None if value is None else float(value)
    return out


def snapshot_figures(db, snapshot_id):
    return {(r["indicator_code"], r["by"], r["key"]): r["value"] for r in db.query(
        "SELECT * FROM snapshot_values WHERE snapshot_id = ?", [snapshot_id])}


def lock(db, period, user, acknowledged=False):
    """Lock a month: its figures, record fingerprints and staff activity, frozen in one transaction."""
    if local_today() < period.start:
        raise CloseError(_("%(period)s has not started yet: there is nothing to close.", period=period.key))
    with db.atomic():
        if lock_of(db, period.key):
            raise CloseError(_("%(period)s is already closed.", period=period.key))
        found = check(db, period)
        if not found.passes and not acknowledged:
            raise CloseError(" ".join([_("%(period)s was not closed:", period=period.key), *found.problems(),
                                       _("Check the list, then confirm that you close it anyway.")]))
        at = now()
        snapshot = db["period_snapshots"].insert({"period_key": period.key, "taken_at": at,
                                                  "taken_by": user.id}).last_pk
        db["snapshot_values"].insert_all(
            {"snapshot_id": snapshot, "indicator_code": c, "by": b, "key": k, "value": v}
            for (c, b, k), v in figures(db, period).items())
        # Thousands of rows at scale: executemany, not sqlite-utils' per-row dict handling.
        db.conn.executemany("INSERT INTO snapshot_records (snapshot_id, source, record_id, fingerprint) "
                            "VALUES (?, ?, ?, ?)",
                            [(snapshot, t, r, f) for (t, r), f in records.fingerprints(db, period).items()])
        db["snapshot_activity"].insert_all({"snapshot_id": snapshot, **row}
                                           for row in records.staff_activity(db, period))
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
    """Reopen a locked month: needs a reason, kept in period_events and the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise CloseError(_("Say why %(period)s is reopened: the reason is kept with the period.", period=period.key))
    if len(reason) > 500:
        raise CloseError(_("The reason is too long (at most 500 characters)."))
    with db.atomic():
        row = lock_of(db, period.key)
        if row is None:
            raise CloseError(_("%(period)s is not closed.", period=period.key))
        db.execute("DELETE FROM locked_periods WHERE period_key = ?", [period.key])
        db["period_events"].insert({"period_key": period.key, "action": "reopened", "reason": reason, "at": now(),
                                    "user_id": user.id})
        audit("period_reopened", target=period.key, detail={"snapshot": row["snapshot_id"], "reason": reason},
              user=user, db=db)


def events(db, key):
    return list(db.query("SELECT e.*, u.role FROM period_events e LEFT JOIN users u ON u.id = e.user_id "
                         "WHERE period_key = ? ORDER BY e.id DESC", [key]))


def changes_after_close(db, period, lock_row):
    """What moved since the lock: figures (at close vs now) and the records behind them."""
    before = snapshot_figures(db, lock_row["snapshot_id"])
    live = figures(db, period)
    moved = [{"code": c, "by": b, "key": k, "at_close": before.get((c, b, k)), "now": live.get((c, b, k))}
             for (c, b, k) in sorted(set(before) | set(live)) if before.get((c, b, k)) != live.get((c, b, k))]
    stored = {(r["source"], r["record_id"]): r["fingerprint"] for r in db.query(
        "SELECT * FROM snapshot_records WHERE snapshot_id = ?", [lock_row["snapshot_id"]])}
    current = records.fingerprints(db, period)
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
