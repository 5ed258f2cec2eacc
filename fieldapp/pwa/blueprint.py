"""The installable app's blueprint: manifest, service worker, offline and outbox pages."""
from flask import Blueprint

bp = Blueprint("pwa", __name__)
