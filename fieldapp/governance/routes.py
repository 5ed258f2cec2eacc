"""Governance pages for coordinators: the programme dashboard, period close and the Region report."""
from flask import Blueprint

bp = Blueprint("governance", __name__)
from fieldapp.governance import exports, aler  # noqa: E402,F401 - routes of the exports and ALER pages
