"""Governance: the programme's indicators, period close, the report to the Region, exports, ALER."""
