"""The privacy blueprint: no pages of its own, it stamps every page for offline expiry."""
from flask import Blueprint

bp = Blueprint("privacy", __name__)
