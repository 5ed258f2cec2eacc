"""Governance pages for coordinators: the programme dashboard, period close and the Region report."""
from flask import Blueprint

bp = Blueprint("governance", __name__)
