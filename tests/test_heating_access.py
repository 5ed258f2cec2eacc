"""Access samples of the heating and energy routes (see test_access.py): the equipe does everything,
coordinators read, approve and close a season, everyone else gets 403; the ledger CSV is the equipe's
alone. The tutor's panel is in test_heating.py."""


def a_contribution(db):
    return next(db.query("SELECT id FROM heating_contributions ORDER BY id LIMIT 1"))["id"]


def an_entry(db):
    return next(db.query("SELECT id FROM heating_ledger ORDER BY id LIMIT 1"))["id"]


SAMPLES = {
    "heating.index": ("GET", lambda db: "/heating/", None),
    "heating.season_detail": ("GET", lambda db: "/heating/seasons/2024-25", None),
    "heating.season_settings": ("POST", lambda db: "/heating/seasons/2025-26/settings", None),
    "heating.season_temperatures": ("POST", lambda db: "/heating/seasons/2025-26/temperatures", None),
    "heating.upload": ("GET", lambda db: "/heating/import/readings", None),
    "heating.season_compute": ("POST", lambda db: "/heating/seasons/2023-24/compute", None),
    "heating.season_move": ("POST", lambda db: "/heating/seasons/2024-25/move", None),
    "heating.why": ("GET", lambda db: f"/heating/contributions/{a_contribution(db)}", None),
    "heating.reject": ("POST", lambda db: f"/heating/contributions/{a_contribution(db)}/reject", None),
    "heating.settle": ("POST", lambda db: f"/heating/contributions/{a_contribution(db)}/settle", None),
    "heating.act_open": ("POST", lambda db: "/heating/seasons/2024-25/acts", None),
    "heating.act_credit": ("POST", lambda db: "/heating/seasons/2024-25/acts/credit", None),
    "heating.season_close": ("POST", lambda db: "/heating/seasons/2024-25/close", None),
    "heating.recovery_add": ("POST", lambda db: "/heating/seasons/2024-25/recoveries", None),
    "heating.recovery_settle": ("POST", lambda db: f"/heating/seasons/2024-25/recoveries/{an_entry(db)}", None),
    "heating.household": ("GET", lambda db: "/heating/households/DEMO-BLO-093", None),
    "heating.contributions_csv": ("GET", lambda db: "/heating/seasons/2024-25/contributions.csv", None),
    "heating.contributions_xlsx": ("GET", lambda db: "/heating/seasons/2024-25/contributions.xlsx", None),
    "heating.determina_csv": ("GET", lambda db: "/heating/seasons/2024-25/determina.csv", None),
    "heating.recoveries_csv": ("GET", lambda db: "/heating/seasons/2024-25/recoveries.csv", None),
    "heating.ledger_csv": ("GET", lambda db: "/heating/seasons/2024-25/ledger.csv", None),
    "heating.notices": ("GET", lambda db: "/heating/seasons/2024-25/notices.pdf", None),
    "heating.letters": ("GET", lambda db: "/heating/seasons/2024-25/letters.pdf?household=DEMO-BLO-093", None),
    "heating.reconciliation": ("GET", lambda db: "/heating/seasons/2025-26/reconciliation", None),
    "heating.reconciliation_csv": ("GET", lambda db: "/heating/seasons/2025-26/reconciliation.csv", None),
    "energy.observatory_page": ("GET", lambda db: "/energy/", None),
    "energy.buildings_geojson": ("GET", lambda db: "/energy/buildings.geojson", None),
    "energy.map_page": ("GET", lambda db: "/energy/map", None),
}
