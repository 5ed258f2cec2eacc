"""Community pacts for the care of common goods (beni comuni)."""
from fieldapp.area import Area
from fieldapp.pacts import demo, documents, layer, routes
from fieldapp.pacts.blueprint import READERS, activity_pact_or_404, activity_photos_or_404, bp
from fieldapp.pacts.indicators import INDICATORS
from fieldapp.pacts.migrations import migrations
from fieldapp.panels import Panel
from fieldapp.photos.owners import PhotoOwner

area = Area(
    "pacts",
    blueprints=(bp,),
    views=(routes, documents, layer),
    migrations=migrations,
    demo=demo.load,
    panels=(Panel("building", "pacts/_building_panel.html", routes.building_panel, roles=READERS),),
    photo_owners=(PhotoOwner("pact_activity", activity_pact_or_404, "uuid", see=activity_photos_or_404),),
    indicators=INDICATORS,
)
