"""Cleanup interventions: contractors, planning from verified reports, tenant notice, before/after evidence."""
from fieldapp.area import Area
from fieldapp.interventions import contractors, demo, documents, onsite, routes, work
from fieldapp.interventions.blueprint import READERS, bp, intervention_or_404
from fieldapp.interventions.indicators import INDICATORS
from fieldapp.interventions.migrations import migrations
from fieldapp.panels import Panel
from fieldapp.photos.owners import PhotoOwner

area = Area(
    "interventions",
    blueprints=(bp,),
    views=(routes, contractors, documents, onsite),
    migrations=migrations,
    demo=demo.load,
    panels=(Panel("building", "interventions/_building_panel.html", routes.building_panel, roles=READERS),),
    photo_owners=(PhotoOwner("intervention", intervention_or_404, "id", see=intervention_or_404),),
    indicators=INDICATORS,
    handovers=work.HANDOVERS,
)
