"""The governance blueprint: the coordinator's dashboard, period close, the Region report, exports, ALER's pages."""
from flask import Blueprint

bp = Blueprint("governance", __name__)
