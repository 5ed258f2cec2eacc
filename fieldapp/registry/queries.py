"""SQL of the registry: quartieri, presidi, buildings, units, households."""
from fieldapp.db import get_db
from fieldapp.where import Where

HOUSEHOLD_COLUMNS = """h.id, h.code, h.members, h.arrears_band, h.heating_eligible, h.active, h.tutor_id,
    u.id AS unit_id, u.scala, u.piano, u.interno,
    b.id AS building_id, b.code AS building_code, b.address, b.presidio_code, b.district_heating,
    b.lat, b.lon, b.quartiere_id, q.name AS quartiere_name, p.name AS presidio_name,
    t.display_name AS tutor_name"""

HOUSEHOLD_FROM = """households h
    JOIN units u ON u.id = h.unit_id
    JOIN buildings b ON b.id = u.building_id
    JOIN quartieri q ON q.id = b.quartiere_id
    LEFT JOIN presidi p ON p.code = b.presidio_code
    LEFT JOIN users t ON t.id = h.tutor_id"""


def quartieri():
    return list(get_db().query("SELECT * FROM quartieri ORDER BY id"))


def presidi():
    return list(get_db().query(
        "SELECT p.*, q.name AS quartiere_name FROM presidi p "
        "LEFT JOIN quartieri q ON q.id = p.quartiere_id ORDER BY p.code"
    ))


def household(household_id):
    return next(get_db().query(
        f"SELECT {HOUSEHOLD_COLUMNS} FROM {HOUSEHOLD_FROM} WHERE h.id = ?", [household_id]
    ), None)


def search_households(q="", presidio_code=None, tutor_id=None, limit=25, offset=0):
    """Active households matching `q` (code or address), newest filters first; limit+1 rows for paging."""
    where = Where("h.active = 1").when(presidio_code, "b.presidio_code = ?").when(tutor_id, "h.tutor_id = ?")
    where.like(q, "(h.code LIKE ? OR b.address LIKE ? OR b.code LIKE ?)")
    return list(get_db().query(
        f"SELECT {HOUSEHOLD_COLUMNS} FROM {HOUSEHOLD_FROM} WHERE {where} "
        "ORDER BY b.address, flat_key(u.scala, u.piano, u.interno), h.id LIMIT ? OFFSET ?",
        [*where.params, limit + 1, offset],
    ))


def building(building_id):
    return next(get_db().query(
        """SELECT b.*, q.name AS quartiere_name, p.name AS presidio_name FROM buildings b
           JOIN quartieri q ON q.id = b.quartiere_id LEFT JOIN presidi p ON p.code = b.presidio_code
           WHERE b.id = ?""",
        [building_id],
    ), None)


def search_buildings(q="", quartiere_id=None, presidio_code=None, limit=25, offset=0):
    where = Where().like(q, "(b.address LIKE ? OR b.code LIKE ?)")
    where.when(quartiere_id, "b.quartiere_id = ?").when(presidio_code, "b.presidio_code = ?")
    return list(get_db().query(
        f"""SELECT b.*, q.name AS quartiere_name, p.name AS presidio_name,
                   (SELECT COUNT(*) FROM units u WHERE u.building_id = b.id) AS units
            FROM buildings b JOIN quartieri q ON q.id = b.quartiere_id
            LEFT JOIN presidi p ON p.code = b.presidio_code
            WHERE {where} ORDER BY b.address LIMIT ? OFFSET ?""",
        [*where.params, limit + 1, offset],
    ))


def all_buildings():
    """Every building with what a picker or a map needs."""
    return list(get_db().query(
        "SELECT id, code, address, lat, lon, presidio_code, quartiere_id FROM buildings ORDER BY address"
    ))


def units_with_households(building_id):
    return list(get_db().query(
        """SELECT u.*, h.id AS household_id, h.code AS household_code, h.members, h.arrears_band,
                  h.heating_eligible
           FROM units u LEFT JOIN households h ON h.unit_id = u.id AND h.active = 1
           WHERE u.building_id = ? ORDER BY flat_key(u.scala, u.piano, u.interno), u.id""",
        [building_id],
    ))


def counts():
    """Registry totals for the dashboard and the demo summary."""
    return next(get_db().query(
        """SELECT (SELECT COUNT(*) FROM quartieri) AS quartieri,
                  (SELECT COUNT(DISTINCT quartiere_id) FROM buildings) AS quartieri_with_flats,
                  (SELECT COUNT(*) FROM presidi) AS presidi,
                  (SELECT COUNT(*) FROM buildings) AS buildings,
                  (SELECT COUNT(*) FROM units) AS units,
                  (SELECT COUNT(*) FROM households WHERE active = 1) AS households,
                  (SELECT COUNT(*) FROM units u JOIN buildings b ON b.id = u.building_id
                    WHERE b.district_heating = 1) AS heated_units"""
    ))
