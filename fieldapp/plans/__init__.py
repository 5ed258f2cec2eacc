"""Individual educational plans (PEI) for people in particular fragility."""
from fieldapp.area import Area
from fieldapp.offline import OfflinePages
from fieldapp.panels import Panel
from fieldapp.plans import demo, retention, routes, work
from fieldapp.plans.blueprint import EDUCATOR, bp
from fieldapp.plans.indicators import INDICATORS
from fieldapp.plans.migrations import migrations

area = Area(
    "plans",
    blueprints=(bp,),
    views=(routes,),
    migrations=migrations,
    demo=demo.load,
    # The tutor learns that a household has a plan, when it is reviewed and whom to ask: nothing else.
    panels=(Panel("household", "plans/_household_flag.html", routes.household_flag, roles=("tutor", "coordinator")),),
    offline_pages=(OfflinePages(EDUCATOR, routes.offline_pages),),
    indicators=INDICATORS,
    retention=(retention.RETENTION,),
    erasure=(retention.ERASURE,),
    digests=work.DIGESTS,
    handovers=work.HANDOVERS,
)
