"""The core blueprint: home, health, language, the accessibility statement."""
from flask import Blueprint

bp = Blueprint("core", __name__)
