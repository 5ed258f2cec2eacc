"""SQL of the targets per indicator and project year, and of the hourly rate of each role."""
from fieldapp.db import get_db
from fieldapp.heating import api as heating


def targets(db=None):
    """{indicator code: {project year key: target}}."""
    out = {}
    for row in (db or get_db()).query("SELECT indicator_code, period_key, value FROM indicator_targets"):
        out.setdefault(row["indicator_code"], {})[row["period_key"]] = row["value"]
    return out


def set_targets(db, rows, user_id, at):
    """Write (code, project year, value or None) rows in one transaction; None removes a target."""
    with db.atomic():
        for code, year, value in rows:
            if value is None:
                db.execute("DELETE FROM indicator_targets WHERE indicator_code = ? AND period_key = ?", [code, year])
            else:
                db["indicator_targets"].upsert({"indicator_code": code, "period_key": year, "value": value,
                                                "updated_at": at, "updated_by": user_id},
                                               pk=("indicator_code", "period_key"))


def rates(db=None):
    """{role: cents per hour}."""
    rows = (db or get_db()).query("SELECT role, cents_per_hour FROM staff_rates")
    return {r["role"]: r["cents_per_hour"] for r in rows}


def set_rates(db, rows, user_id, at):
    """Write {role: cents or None} in one transaction; None removes a rate."""
    with db.atomic():
        for role, cents in rows.items():
            if cents is None:
                db.execute("DELETE FROM staff_rates WHERE role = ?", [role])
            else:
                db["staff_rates"].upsert({"role": role, "cents_per_hour": cents, "updated_at": at,
                                          "updated_by": user_id}, pk="role")


def heating_rules():
    """{season: [rule, rule version]} of each season's latest computation ({} without the heating area)."""
    if "heating_versions" not in get_db().table_names():
        return {}
    return {season: list(rule) for season, rule in heating.season_rules().items()}
