"""Group meetings of the community work: counts by group, never names."""
from fieldapp.area import Area
from fieldapp.meetings import demo, routes
from fieldapp.meetings.blueprint import bp
from fieldapp.meetings.indicators import INDICATORS
from fieldapp.meetings.migrations import migrations

area = Area("meetings", blueprints=(bp,), views=(routes,), migrations=migrations, demo=demo.load,
            indicators=INDICATORS)
