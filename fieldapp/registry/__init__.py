"""The registry: quartieri, presidi, buildings, flats and households (pseudonymous codes), and its import."""
from fieldapp.area import Area
from fieldapp.offline import OfflinePages
from fieldapp.registry import erasure, offline, routes, work
from fieldapp.registry.blueprint import bp
from fieldapp.registry.cli import registry_cli
from fieldapp.registry.migrations import migrations

area = Area(
    "registry",
    blueprints=(bp,),
    views=(routes,),
    commands=(registry_cli,),
    migrations=migrations,
    offline_pages=(OfflinePages("tutor", offline.tutor_pages),),
    erasure=(erasure.ERASURE,),
    handovers=work.HANDOVERS,
)
