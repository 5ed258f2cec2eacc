"""Home visits and their follow-ups: the tutor's field log, the household timeline and the agenda."""
from fieldapp.area import Area
from fieldapp.panels import Panel
from fieldapp.visits import demo, privacy, routes, work
from fieldapp.visits.blueprint import VISIT_ROLES, bp
from fieldapp.visits.indicators import INDICATORS
from fieldapp.visits.migrations import migrations

area = Area(
    "visits",
    blueprints=(bp,),
    views=(routes,),
    migrations=migrations,
    demo=demo.load,
    panels=(Panel("household", "visits/_timeline_panel.html", routes.household_panel, roles=VISIT_ROLES),),
    indicators=INDICATORS,
    retention=(privacy.RETENTION,),
    erasure=(privacy.ERASURE,),
    digests=work.DIGESTS,
    handovers=work.HANDOVERS,
)
