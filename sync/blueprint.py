"""The sync protocol's blueprint: a JSON API of its own, apart from the HTML pages."""
from flask import Blueprint

bp = Blueprint("sync", __name__, url_prefix="/sync")
