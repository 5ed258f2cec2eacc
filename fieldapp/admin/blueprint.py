"""The administrator's blueprint: users, sign-in throttles, the audit log."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
