"""The map's blueprint."""
from flask import Blueprint

bp = Blueprint("maps", __name__)
