"""Every SQL statement of the heating area."""
from datetime import date

from fieldapp.db import get_db


def seasons():
    return list(get_db().query("SELECT * FROM heating_seasons ORDER BY starts_on"))


def season(code):
    return next(get_db().query("SELECT * FROM heating_seasons WHERE code = ?", [code]), None)


def season_length(season):
    """Days from the first to the last day of the season, both included."""
    return (date.fromisoformat(season["ends_on"]) - date.fromisoformat(season["starts_on"])).days + 1


def update_season(code, **values):
    get_db()["heating_seasons"].update(code, values)


def buildings_by_code():
    return {b["code"]: b for b in get_db().query("SELECT id, code, address FROM buildings")}


def units_by_flat():
    return {(r["code"], r["scala"], r["interno"]): r["id"] for r in get_db().query(
        "SELECT u.id, b.code, u.scala, u.interno FROM units u JOIN buildings b ON b.id = u.building_id")}


def units_of_building(building_id):
    return list(get_db().query(
        """SELECT u.id, u.scala, u.interno, b.code AS building_code FROM units u
           JOIN buildings b ON b.id = u.building_id WHERE u.building_id = ? ORDER BY u.id""", [building_id]))


def active_households():
    return {r["unit_id"]: r["code"] for r in get_db().query("SELECT unit_id, code FROM households WHERE active = 1")}


def household_codes():
    return {r["code"] for r in get_db().query("SELECT code FROM households")}


def households_by_code():
    return {r["code"]: r for r in get_db().query(
        "SELECT id, code, heating_eligible, arrears_band, active, unit_id FROM households")}


def bills(season_code):
    return {r["building_id"]: r for r in get_db().query(
        """SELECT hb.*, b.code AS building_code, b.address FROM heating_bills hb
           JOIN buildings b ON b.id = hb.building_id WHERE hb.season = ? ORDER BY b.code""", [season_code])}


def readings(season_code):
    return list(get_db().query(
        """SELECT r.*, b.code AS building_code, u.scala, u.interno, u.area_m2 FROM heating_readings r
           JOIN units u ON u.id = r.unit_id JOIN buildings b ON b.id = r.building_id
           WHERE r.season = ? ORDER BY b.code, flat_key(u.scala, u.piano, u.interno), r.id""",
        [season_code]))


def household_data(season_code):
    return {r["household_code"]: r for r in get_db().query(
        "SELECT * FROM heating_household_data WHERE season = ?", [season_code])}


def household_data_of(household_code):
    return {r["season"]: r for r in get_db().query(
        "SELECT * FROM heating_household_data WHERE household_code = ?", [household_code])}


def versions(season_code):
    return list(get_db().query(
        """SELECT v.*, u.username FROM heating_versions v LEFT JOIN users u ON u.id = v.created_by
           WHERE v.season = ? ORDER BY v.version DESC""", [season_code]))


def latest_version(season_code):
    return next(iter(versions(season_code)), None)


CONTRIBUTION = """SELECT c.*, v.version, b.code AS building_code, b.address, u.scala, u.interno
    FROM heating_contributions c JOIN heating_versions v ON v.id = c.version_id
    JOIN units u ON u.id = c.unit_id JOIN buildings b ON b.id = u.building_id"""


def contributions(version_id, status=None):
    where, params = ("AND c.status = ?", [status]) if status else ("", [])
    return list(get_db().query(
        f"""{CONTRIBUTION} WHERE c.version_id = ? {where}
            ORDER BY b.code, flat_key(u.scala, u.piano, u.interno), c.household_code""",
        [version_id, *params]))


def contribution(contribution_id):
    return next(get_db().query(f"{CONTRIBUTION} WHERE c.id = ?", [contribution_id]), None)


def status_counts(version_id):
    return dict(get_db().execute(
        "SELECT status, COUNT(*) FROM heating_contributions WHERE version_id = ? GROUP BY status",
        [version_id]).fetchall())


def household_status(household_code):
    """Per season, "credited" when the ledger holds money paid to the household, else "approved" when its
    latest version's contribution is approved or in a determina (no amounts: the tutor's view)."""
    return list(get_db().query(
        """SELECT season, CASE WHEN paid > 0 THEN 'credited' ELSE 'approved' END AS status FROM (
             SELECT s.code AS season,
                    (SELECT COALESCE(SUM(amount_cents), 0) FROM heating_ledger l
                     WHERE l.season = s.code AND l.household_code = :code) AS paid,
                    EXISTS (SELECT 1 FROM heating_contributions c JOIN heating_versions v ON v.id = c.version_id
                            WHERE c.season = s.code AND c.household_code = :code
                            AND c.status IN ('approved', 'in_determina', 'credited')
                            AND v.version = (SELECT MAX(version) FROM heating_versions WHERE season = s.code))
                      AS approved
             FROM heating_seasons s) WHERE paid > 0 OR approved ORDER BY season""", {"code": household_code}))


def settlements(season_code):
    """{(household, unit): the latest decision on its case}, with who decided."""
    rows = get_db().query(
        """SELECT s.*, u.username AS decided_by FROM heating_settlements s LEFT JOIN users u ON u.id = s.decided_by
           WHERE s.season = ? ORDER BY s.id""", [season_code])
    return {(r["household_code"], r["unit_id"]): r for r in rows}


def settlement_history(season_code, household_code, unit_id):
    return list(get_db().query(
        """SELECT s.*, u.username FROM heating_settlements s LEFT JOIN users u ON u.id = s.decided_by
           WHERE s.season = ? AND s.household_code = ? AND s.unit_id = ? ORDER BY s.id""",
        [season_code, household_code, unit_id]))


def set_status(ids, status, reason=None, at=None):
    db = get_db()
    for contribution_id in ids:
        values = {"status": status, "updated_at": at}
        if reason is not None:
            values["reason"] = reason
        db["heating_contributions"].update(contribution_id, values)


def household_contributions(household_code):
    return list(get_db().query(
        f"{CONTRIBUTION} WHERE c.household_code = ? ORDER BY c.season DESC, v.version DESC", [household_code]))


def save_household_data(household_code, season_code, isee_cents, solidarity_cents, at):
    get_db()["heating_household_data"].upsert({
        "household_code": household_code, "season": season_code, "isee_cents": isee_cents,
        "solidarity_cents": solidarity_cents, "updated_at": at}, pk=("household_code", "season"))


def insert_contributions(version_id, rows):
    """One executemany: sqlite-utils' insert_all costs more than the arithmetic for a season's rows."""
    if not rows:
        return
    columns = ["version_id", *rows[0]]
    get_db().conn.executemany(
        f"INSERT INTO heating_contributions ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [[version_id, *r.values()] for r in rows])
