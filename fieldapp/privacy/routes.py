"""Privacy has no pages of its own: the audit page lives in admin, the rest is command-line work."""
from flask import Blueprint

bp = Blueprint("privacy", __name__)
