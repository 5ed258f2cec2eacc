"""SQL of the energy observatory (it reads the heating area's bills and readings)."""
from fieldapp.db import get_db


def building_bills():
    """Every bill with its building's floor area (sum of its flats' areas), position and season degree-days."""
    return list(get_db().query(
        """SELECT hb.*, b.code AS building_code, b.address, b.lat, b.lon, s.degree_days,
                  (SELECT SUM(u.area_m2) FROM units u WHERE u.building_id = b.id) AS area_m2
           FROM heating_bills hb JOIN buildings b ON b.id = hb.building_id
           JOIN heating_seasons s ON s.code = hb.season ORDER BY b.code, s.starts_on"""))


def flat_use(season_code):
    """Per flat of the season: units (all its households), floor area, and the arrears band living there now."""
    return list(get_db().query(
        """SELECT r.unit_id, b.code AS building_code, u.scala, u.interno, u.area_m2,
                  SUM(CAST(r.units AS REAL)) AS units, MAX(r.estimated) AS estimated,
                  (SELECT h.arrears_band FROM households h WHERE h.unit_id = u.id AND h.active = 1) AS arrears_band
           FROM heating_readings r JOIN units u ON u.id = r.unit_id JOIN buildings b ON b.id = r.building_id
           WHERE r.season = ? GROUP BY r.unit_id ORDER BY b.code, u.id""", [season_code]))


def seasons():
    return list(get_db().query("SELECT * FROM heating_seasons ORDER BY starts_on"))
