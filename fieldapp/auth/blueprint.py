"""The auth blueprint: sign in and out, the own account page."""
from flask import Blueprint

bp = Blueprint("auth", __name__)
