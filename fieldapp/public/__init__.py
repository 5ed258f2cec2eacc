"""Residents' reports (/segnala), the Open311 GeoReport v2 API and its keys."""
