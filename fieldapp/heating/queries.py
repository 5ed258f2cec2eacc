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


def previous_amounts(season_code, version):
    """{(household, unit): row} to compare `version` with: the last approved (or later) amount of an
    earlier version, else the version just before."""
    rows = get_db().query(
        """SELECT c.household_code, c.unit_id, c.amount_cents, c.status, v.version FROM heating_contributions c
           JOIN heating_versions v ON v.id = c.version_id WHERE v.season = ? AND v.version < ?
           AND (v.version = ? OR c.status IN ('approved', 'in_determina', 'credited'))
           ORDER BY c.status IN ('approved', 'in_determina', 'credited'), v.version""",
        [season_code, version, version - 1])
    return {(r["household_code"], r["unit_id"]): r for r in rows}


def status_counts(version_id):
    return dict(get_db().execute(
        "SELECT status, COUNT(*) FROM heating_contributions WHERE version_id = ? GROUP BY status",
        [version_id]).fetchall())


def household_status(household_code):
    """The latest approved-or-later contribution of a household, per season (no amounts)."""
    return list(get_db().query(
        """SELECT c.season, c.status FROM heating_contributions c JOIN heating_versions v ON v.id = c.version_id
           WHERE c.household_code = ? AND c.status IN ('approved', 'in_determina', 'credited')
           AND v.version = (SELECT MAX(version) FROM heating_versions WHERE season = c.season)
           ORDER BY c.season""", [household_code]))


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
