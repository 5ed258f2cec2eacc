"""Governance: the programme's indicators, period close, the report to the Region, exports, ALER."""
from fieldapp.area import Area
from fieldapp.governance import aler, close, demo, exports, report, routes, targets, work
from fieldapp.governance.blueprint import bp
from fieldapp.governance.cli import governance_cli
from fieldapp.governance.migrations import migrations

area = Area("governance", blueprints=(bp,), views=(routes, close, report, targets, exports, aler),
            commands=(governance_cli,), migrations=migrations, demo=demo.load, scheduled=(aler.ALER_MONTH,),
            digests=work.DIGESTS)
