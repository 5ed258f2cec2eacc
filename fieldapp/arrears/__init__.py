"""The arrears team: ledger, cases, repayment plans, case conferences."""
from fieldapp.area import Area
from fieldapp.arrears import case, conferences, demo, figures, panel, plans, routes, work
from fieldapp.arrears.blueprint import bp
from fieldapp.arrears.cli import arrears_cli
from fieldapp.arrears.indicators import INDICATORS
from fieldapp.arrears.migrations import migrations
from fieldapp.lifecycle import StatutoryHold, rows_of
from fieldapp.panels import Panel

# The tutor sees the arrears ledger's view of a household on its page and inside the visit form.
PANEL_ROLES = ("tutor", "coordinator")

area = Area(
    "arrears",
    blueprints=(bp,),
    views=(routes, case, plans, conferences, figures),
    commands=(arrears_cli,),
    migrations=migrations,
    demo=demo.load,
    panels=(Panel("household", "arrears/_household_panel.html", panel.load, roles=PANEL_ROLES),
            Panel("visit_form", "arrears/_household_panel.html", panel.load, roles=PANEL_ROLES)),
    indicators=INDICATORS,
    # The rent ledger backs money owed and paid: it stays its statutory years; the cases around it go.
    statutory=(StatutoryHold("ledger_months", "household_id", ("period",)),),
    erasure=(rows_of("arrears_cases", "arrears_contacts", "arrears_flags", "conference_items",
                     "entitlement_checks", "repayment_plans"),),
    digests=work.DIGESTS,
    handovers=work.HANDOVERS,
)
