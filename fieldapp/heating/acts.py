"""Paying and recovering: a version pays, or recovers, only its difference from what was paid.

The difference is taken against the ledger plus any act still open. Putting the approved contributions
"in determina" opens an act: its lines are the differences at that moment, the positive ones for the
determina (payments only: public accounting never nets a recovery against a payment), the negative ones
for a separate recovery act. Crediting the act writes each line into the append-only ledger with the
act's number and date. One act per season is open at a time, so nothing is paid twice. A closed season
takes no new version and no new payment; a recovery (a later check of a self-declaration) stays possible.
"""
import json

from flask_babel import gettext as _

from fieldapp.audit import audit, record_event
from fieldapp.clock import local_today
from fieldapp.db import get_db, now
from fieldapp.heating import ledger_queries as ledger
from fieldapp.heating import queries

# Which inputs a difference comes from: compared between the contribution now and the one last paid.
CAUSES = {
    "readings": lambda i: [{k: (f or {}).get(k) for k in ("units", "total_units", "millesimi", "total_millesimi",
                                                           "days", "flat_days", "estimated")}
                           for f in (i["current"], i["previous"])],
    "bill": lambda i: [(f or {}).get("bill") for f in (i["current"], i["previous"])],
    "isee": lambda i: [i.get("isee_cents"), i.get("isee_ceiling_cents")],
    "solidarity": lambda i: i.get("solidarity_cents"),
    "rule": lambda i: [i.get(k) for k in ("rule", "rule_version", "reference_season", "degree_days",
                                          "previous_degree_days")],
    "settlement": lambda i: (i.get("settlement") or {}).get("decision"),
}
REJECTED_CAUSES = {"isee_over_ceiling": "isee", "excluded": "settlement", "not_eligible": "eligibility"}


class ActError(Exception):
    """The step is refused; the message says why and nothing changed."""


def paid_before(season_code):
    """{(household, unit): cents} paid so far: the ledger, plus the lines of an act not yet credited."""
    paid = ledger.sums(season_code)
    open_act = ledger.open_act(season_code)
    for line in ledger.lines(open_act["id"]) if open_act else []:
        key = (line["household_code"], line["unit_id"])
        paid[key] = paid.get(key, 0) + line["amount_cents"]
    return paid


def cause(row, before):
    """Why the contribution differs from the one last paid: 'readings', 'isee+solidarity', 'first'..."""
    if before is None:
        return "first"
    inputs = json.loads(row["inputs"])
    found = [name for name, part in CAUSES.items() if part(inputs) != part(before)]
    if row["status"] == "rejected" and REJECTED_CAUSES.get(row["reason"]) not in found:
        found.append(REJECTED_CAUSES.get(row["reason"], "correction"))
    return "+".join(found) or "correction"


def differences(season_code, version_id, statuses=("approved",)):
    """Per contribution of the version in `statuses` (and every rejected one that was paid): what it
    computes, what was paid before, the difference and its cause."""
    paid = paid_before(season_code)
    last = {key: json.loads(text) for key, text in ledger.last_paid_inputs(season_code).items()}
    out = []
    for row in queries.contributions(version_id):
        key = (row["household_code"], row["unit_id"])
        if row["status"] in statuses:
            computed = row["amount_cents"] or 0
        elif row["status"] == "rejected" and paid.get(key):
            computed = 0
        else:
            continue
        before = paid.get(key, 0)
        out.append({**row, "computed_cents": computed, "paid_before_cents": before,
                    "difference_cents": computed - before, "cause": cause(row, last.get(key))})
    return out


def _season_open_for_money(season_code):
    season = queries.season(season_code)
    if season["closed_at"]:
        raise ActError(_("The season is closed: no new payment."))
    return season


def open_act(season_code, number, day, user):
    """Put the approved contributions of the latest version in a determina; returns the act's id."""
    _season_open_for_money(season_code)
    already = ledger.open_act(season_code)
    if already:
        raise ActError(_("A determina of this season is still open (%(act)s): credit it first, so nothing is "
                         "paid twice.", act=already["determina_number"] or _("recoveries only")))
    version = queries.latest_version(season_code)
    if version is None:
        raise ActError(_("Nothing has been computed for this season yet."))
    rows = differences(season_code, version["id"])
    approved = [r for r in rows if r["status"] == "approved"]
    lines = [r for r in rows if r["difference_cents"]]
    if not approved and not lines:
        raise ActError(_("No household is ready for this step."))
    payments = [r for r in lines if r["difference_cents"] > 0]
    if payments and not (number and day):
        raise ActError(_("Give the determina's number and date."))
    db = get_db()
    with db.atomic():
        act_id = ledger.insert_act({
            "season": season_code, "version_id": version["id"], "determina_number": number if payments else None,
            "determina_date": day if payments else None, "state": "open", "opened_at": now(),
            "opened_by": user.id})
        ledger.insert_lines(act_id, [
            {"household_code": r["household_code"], "unit_id": r["unit_id"], "contribution_id": r["id"],
             "computed_cents": r["computed_cents"], "paid_before_cents": r["paid_before_cents"],
             "amount_cents": r["difference_cents"], "reason": r["cause"]} for r in lines])
        _move(approved, "in_determina", db)
        audit("heating_determina", target=season_code,
              detail={"act": act_id, "version": version["version"], "number": number, "date": day,
                      "payments": len(payments), "recoveries": len(lines) - len(payments)}, db=db)
    return act_id


def _move(rows, status, db, note=None):
    at = now()
    for row in rows:
        queries.set_status([row["id"]], status, at=at)
        record_event("heating_contribution", row["id"], row["status"], status, note, db=db)


def credit(season_code, credited_on, recovery_number, recovery_date, user):
    """Carry out the open act: its lines become ledger entries; returns (payments, recoveries) written."""
    act = ledger.open_act(season_code)
    if act is None:
        raise ActError(_("No determina of this season is open."))
    lines = ledger.lines(act["id"])
    recoveries = [line for line in lines if line["amount_cents"] < 0]
    if recoveries and not (recovery_number and recovery_date):
        raise ActError(_("Give the recovery act's number and date: this version recovers money."))
    dates = [d for d in (act["determina_date"], recovery_date if recoveries else None) if d]
    if dates and credited_on < max(dates):
        raise ActError(_("The credit date cannot come before the act's date."))
    version = next(v for v in queries.versions(season_code) if v["id"] == act["version_id"])
    at = now()
    entries = []
    for line in lines:
        payment = line["amount_cents"] > 0
        entries.append({
            "season": season_code, "household_code": line["household_code"], "unit_id": line["unit_id"],
            "version": version["version"], "contribution_id": line["contribution_id"], "act_id": act["id"],
            "kind": "payment" if payment else "recovery", "amount_cents": line["amount_cents"],
            "computed_cents": line["computed_cents"], "paid_before_cents": line["paid_before_cents"],
            "reason": line["reason"], "act_number": act["determina_number"] if payment else recovery_number,
            "act_date": act["determina_date"] if payment else recovery_date, "credited_on": credited_on,
            "created_at": at, "created_by": user.id})
    db = get_db()
    with db.atomic():
        ids = ledger.insert_entries(entries)
        for entry_id, entry in zip(ids, entries, strict=True):
            if entry["kind"] == "recovery":
                ledger.set_recovery(entry_id, {"state": "to_recover", "updated_at": at, "updated_by": user.id})
        _move(queries.contributions(act["version_id"], status="in_determina"), "credited", db)
        ledger.set_act(act["id"], state="credited", credited_on=credited_on, credited_at=at, credited_by=user.id,
                       recovery_number=recovery_number if recoveries else None,
                       recovery_date=recovery_date if recoveries else None)
        audit("heating_credited", target=season_code,
              detail={"act": act["id"], "entries": len(entries), "recoveries": len(recoveries),
                      "recovery_number": recovery_number}, db=db)
    return len(entries) - len(recoveries), len(recoveries)


def recover(season_code, household_code, amount, note, number, day, user):
    """A recovery after the season was closed (a later check, DPR 445/2000 art. 71 and 75)."""
    season = queries.season(season_code)
    if not season["closed_at"]:
        raise ActError(_("While the season is open, a correction is a new version: compute it."))
    paid = {unit: cents for (code, unit), cents in ledger.sums(season_code, household_code).items() if cents > 0}
    if not paid:
        raise ActError(_("Nothing was paid to %(code)s in this season.", code=household_code))
    unit_id, before = max(paid.items(), key=lambda item: item[1])
    if amount > before:
        raise ActError(_("At most %(paid)s EUR can be recovered: what was paid.", paid=f"{before / 100:.2f}"))
    line = {"household_code": household_code, "unit_id": unit_id, "contribution_id": None,
            "computed_cents": before - amount, "paid_before_cents": before, "amount_cents": -amount,
            "reason": "later_check"}
    at = now()
    db = get_db()
    with db.atomic():
        act_id = ledger.insert_act({"season": season_code, "recovery_number": number, "recovery_date": day,
                                    "state": "credited", "opened_at": at, "opened_by": user.id,
                                    "credited_on": local_today().isoformat(), "credited_at": at,
                                    "credited_by": user.id})
        ledger.insert_lines(act_id, [line])
        [entry_id] = ledger.insert_entries([{
            **line, "season": season_code, "version": None, "act_id": act_id, "kind": "recovery",
            "act_number": number, "act_date": day, "credited_on": local_today().isoformat(), "created_at": at,
            "created_by": user.id}])
        ledger.set_recovery(entry_id, {"state": "to_recover", "note": note, "updated_at": at,
                                       "updated_by": user.id})
        audit("heating_recovery", target=household_code,
              detail={"season": season_code, "entry": entry_id, "amount_cents": amount, "act": number}, db=db)
    return entry_id


def settle_recovery(season_code, entry_id, state, day, note, offset_entry_id, user):
    """A recovery collected (pagoPA, rent account) or offset against a later payment (both entries stay)."""
    entry = ledger.entry(entry_id)
    if (entry is None or entry["season"] != season_code or entry["kind"] != "recovery"
            or entry["recovery_state"] != "to_recover"):
        raise ActError(_("Only a recovery still to recover can be marked."))
    values = {"state": state, "note": note or None, "updated_at": now(), "updated_by": user.id}
    if state == "collected":
        if not day or day < entry["credited_on"] or day > local_today().isoformat():
            raise ActError(_("Give the day the money came in: after the recovery, not in the future."))
        values["settled_on"] = day
    elif state == "offset":
        payment = ledger.entry(offset_entry_id) if offset_entry_id else None
        if (payment is None or payment["kind"] != "payment" or payment["household_code"] != entry["household_code"]
                or payment["id"] < entry["id"]):
            raise ActError(_("Choose a later payment to the same household."))
        if payment["amount_cents"] - ledger.offset_of(payment["id"]) < -entry["amount_cents"]:
            raise ActError(_("That payment is too small to cover this recovery."))
        values.update(settled_on=payment["credited_on"], offset_entry_id=payment["id"])
    else:
        raise ActError(_("Choose collected or offset."))
    db = get_db()
    with db.atomic():
        ledger.set_recovery(entry_id, values)
        record_event("heating_recovery", entry_id, "to_recover", state, note or None, db=db)
        audit("heating_recovery_" + state, target=entry["household_code"], detail={"entry": entry_id}, db=db)


def close(season_code, user):
    """No new version, no new payment from now on; recoveries stay possible."""
    season = queries.season(season_code)
    if season["baseline"] or season["closed_at"]:
        raise ActError(_("This season cannot be closed."))
    if ledger.open_act(season_code):
        raise ActError(_("A determina of this season is still open: credit it before closing the season."))
    db = get_db()
    with db.atomic():
        queries.update_season(season_code, closed_at=now(), closed_by=user.id)
        record_event("heating_season", season_code, "open", "closed", db=db)
        audit("heating_season_closed", target=season_code, db=db)
