"""SQL of the heating payments ledger and of the acts that write it (the rest is in queries.py).

The ledger (`heating_ledger`) is append-only: entries are inserted when an act is carried out and never
updated or deleted (triggers refuse it). Sums are per season, household and flat.
"""
from fieldapp.db import get_db

FLAT = "LEFT JOIN units u ON u.id = l.unit_id LEFT JOIN buildings b ON b.id = u.building_id"


def sums(season, household_code=None):
    """{(household, unit): cents} the ledger holds for the season (payments less recoveries)."""
    where, params = ("AND household_code = ?", [household_code]) if household_code else ("", [])
    return {(r[0], r[1]): r[2] for r in get_db().execute(
        f"SELECT household_code, unit_id, SUM(amount_cents) FROM heating_ledger WHERE season = ? {where} "
        "GROUP BY household_code, unit_id", [season, *params])}


def open_act(season):
    return next(get_db().query("SELECT * FROM heating_acts WHERE season = ? AND state = 'open'", [season]), None)


def act(act_id):
    return next(get_db().query(
        """SELECT a.*, v.version FROM heating_acts a LEFT JOIN heating_versions v ON v.id = a.version_id
           WHERE a.id = ?""", [act_id]), None)


def acts(season):
    return list(get_db().query(
        """SELECT a.*, v.version,
                  (SELECT COALESCE(SUM(amount_cents), 0) FROM heating_act_lines WHERE act_id = a.id
                   AND amount_cents > 0) AS paid_cents,
                  (SELECT COALESCE(-SUM(amount_cents), 0) FROM heating_act_lines WHERE act_id = a.id
                   AND amount_cents < 0) AS recovered_cents,
                  (SELECT COUNT(*) FROM heating_act_lines WHERE act_id = a.id AND amount_cents > 0) AS payments,
                  (SELECT COUNT(*) FROM heating_act_lines WHERE act_id = a.id AND amount_cents < 0) AS recoveries
           FROM heating_acts a LEFT JOIN heating_versions v ON v.id = a.version_id
           WHERE a.season = ? ORDER BY a.id DESC""", [season]))


def lines(act_id, sign=None):
    """An act's lines with their flat, payments (sign +1) or recoveries (-1) or all."""
    where = {1: "AND l.amount_cents > 0", -1: "AND l.amount_cents < 0"}.get(sign, "")
    return list(get_db().query(
        f"""SELECT l.*, b.code AS building_code, b.address, u.scala, u.interno FROM heating_act_lines l {FLAT}
            WHERE l.act_id = ? {where} ORDER BY b.code, flat_key(u.scala, u.piano, u.interno), l.household_code""",
        [act_id]))


def last_paid_inputs(season):
    """{(household, unit): inputs} of the contribution behind each household's latest entry or act line."""
    return {(r[0], r[1]): r[2] for r in get_db().execute(
        """SELECT l.household_code, l.unit_id, c.inputs FROM heating_act_lines l
           JOIN heating_contributions c ON c.id = l.contribution_id
           WHERE l.act_id IN (SELECT id FROM heating_acts WHERE season = ?) ORDER BY l.act_id""", [season])}


def entries(season=None, household_code=None):
    """Ledger entries with their flat, user and recovery state, oldest first."""
    where, params = [], []
    if season:
        where.append("l.season = ?")
        params.append(season)
    if household_code:
        where.append("l.household_code = ?")
        params.append(household_code)
    return list(get_db().query(
        f"""SELECT l.*, b.code AS building_code, b.address, u.scala, u.interno, us.username,
                   r.state AS recovery_state, r.settled_on, r.offset_entry_id, r.note AS recovery_note
            FROM heating_ledger l {FLAT} LEFT JOIN users us ON us.id = l.created_by
            LEFT JOIN heating_recoveries r ON r.entry_id = l.id
            WHERE {' AND '.join(where) or '1'} ORDER BY l.id""", params))


def entry(entry_id):
    rows = get_db().query(
        """SELECT l.*, r.state AS recovery_state FROM heating_ledger l
           LEFT JOIN heating_recoveries r ON r.entry_id = l.id WHERE l.id = ?""", [entry_id])
    return next(rows, None)


def offset_of(payment_id):
    """Cents of recoveries already offset against a payment entry."""
    return get_db().execute(
        """SELECT COALESCE(-SUM(l.amount_cents), 0) FROM heating_recoveries r
           JOIN heating_ledger l ON l.id = r.entry_id WHERE r.offset_entry_id = ?""", [payment_id]).fetchone()[0]


def insert_act(values):
    return get_db()["heating_acts"].insert(values).last_pk


def insert_lines(act_id, rows):
    get_db()["heating_act_lines"].insert_all([{"act_id": act_id, **r} for r in rows])


def insert_entries(rows):
    """Append entries; returns their ids in order."""
    db = get_db()
    return [db["heating_ledger"].insert(row).last_pk for row in rows]


def set_act(act_id, **values):
    get_db()["heating_acts"].update(act_id, values)


def set_recovery(entry_id, values):
    get_db()["heating_recoveries"].upsert({"entry_id": entry_id, **values}, pk="entry_id")


def totals(column, where, params, by=None):
    """{None: total cents} and, by building / household / season, {key: cents} of ledger entries."""
    keys = {"building": "b.code", "household": "l.household_code", "season": "l.season"}
    db = get_db()
    out = {}
    if by is not None:
        if by not in keys:
            raise ValueError(f"no grouping {by!r}: use one of {', '.join(keys)}")
        out = {k: v for k, v in db.execute(
            f"SELECT {keys[by]}, COALESCE(SUM({column}), 0) FROM heating_ledger l {FLAT} WHERE {where} "
            f"GROUP BY {keys[by]} ORDER BY 1", params)}
    out[None] = db.execute(f"SELECT COALESCE(SUM({column}), 0) FROM heating_ledger l {FLAT} WHERE {where}",
                           params).fetchone()[0]
    return out


def unpaid(season, by=None):
    """{None: cents} (and per key) the season's latest version computes beyond what the ledger holds."""
    keys = {"building": "b.code", "household": "c.household_code", "season": "c.season"}
    if by is not None and by not in keys:
        raise ValueError(f"no grouping {by!r}: use one of {', '.join(keys)}")
    source = """FROM heating_contributions c JOIN units u ON u.id = c.unit_id JOIN buildings b ON b.id = u.building_id
        LEFT JOIN (SELECT household_code, unit_id, SUM(amount_cents) AS net FROM heating_ledger WHERE season = :season
                   GROUP BY household_code, unit_id) p ON p.household_code = c.household_code AND p.unit_id = c.unit_id
        WHERE c.season = :season AND c.status IN ('computed', 'reviewed', 'approved', 'in_determina', 'credited')
        AND c.version_id = (SELECT id FROM heating_versions WHERE season = :season ORDER BY version DESC LIMIT 1)"""
    expr = "COALESCE(SUM(MAX(0, COALESCE(c.amount_cents, 0) - COALESCE(p.net, 0))), 0)"
    db = get_db()
    out = {}
    if by is not None:
        out = dict(db.execute(f"SELECT {keys[by]}, {expr} {source} GROUP BY {keys[by]} ORDER BY 1",
                              {"season": season}).fetchall())
    out[None] = db.execute(f"SELECT {expr} {source}", {"season": season}).fetchone()[0]
    return out
