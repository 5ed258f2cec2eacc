"""Reports of neglected common areas: filed from a phone with photos and a location, verified by the operator."""
from fieldapp.area import Area
from fieldapp.panels import Panel
from fieldapp.photos.owners import PhotoOwner
from fieldapp.reports import demo, filing, lists, routes, work
from fieldapp.reports.blueprint import FILERS, bp, report_or_404
from fieldapp.reports.indicators import INDICATORS
from fieldapp.reports.migrations import migrations

area = Area(
    "reports",
    blueprints=(bp,),
    views=(filing, lists, routes),
    migrations=migrations,
    demo=demo.load,
    panels=(Panel("building", "reports/_building_panel.html", lists.building_panel, roles=FILERS),),
    photo_owners=(PhotoOwner("report", report_or_404, "uuid", see=report_or_404),),
    indicators=INDICATORS,
    digests=work.DIGESTS,
)
