"""The energy observatory's blueprint."""
from flask import Blueprint

bp = Blueprint("energy", __name__, url_prefix="/energy")

READERS = ("equipe", "coordinator")
