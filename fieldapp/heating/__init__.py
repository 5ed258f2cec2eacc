"""Heating contributions for the flats on district heating: bills, readings, the computation, the acts."""
from fieldapp.area import Area
from fieldapp.heating import demo, letters, money, outputs, routes, uploads, work
from fieldapp.heating.blueprint import bp
from fieldapp.heating.cli import heating_cli
from fieldapp.heating.indicators import INDICATORS
from fieldapp.heating.migrations import migrations
from fieldapp.lifecycle import StatutoryHold, rows_of
from fieldapp.panels import Panel

area = Area(
    "heating",
    blueprints=(bp,),
    views=(routes, uploads, money, outputs, letters),
    commands=(heating_cli,),
    migrations=migrations,
    demo=demo.load,
    panels=(Panel("household", "heating/_household_panel.html", routes.household_panel,
                  roles=("tutor", "coordinator")),),
    indicators=INDICATORS,
    # Money paid and recovered (the append-only ledger) and the contributions behind it stay their statutory
    # years, under the household's code; the rest (the acts' lines included) goes once nothing holds it.
    statutory=(StatutoryHold("heating_ledger", "household_code", ("credited_on",)),
               StatutoryHold("heating_contributions", "household_code",
                             ("credited_at", "paid_on", "paid_at", "updated_at", "created_at"))),
    erasure=(rows_of("heating_household_data", "heating_readings", "heating_settlements", "heating_act_lines"),),
    digests=work.DIGESTS,
)
