"""Errors handled in one place: HTML pages for people, JSON for /sync/ and API paths."""
from flask import current_app, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from fieldapp.text import TextRefused

JSON_PREFIXES = ("/sync/", "/api/", "/healthz", "/open311/")
EXTENSION_KEY = "cortile.error_formatters"


def add_formatter(app, prefix, formatter):
    """Errors under `prefix` take the shape an API's clients expect: `formatter(code, message)` (Open311's list)."""
    app.extensions.setdefault(EXTENSION_KEY, {})[prefix] = formatter


def _message(code):
    """A clear, translated message for each status a user can meet."""
    messages = {
        400: _("The request could not be understood. Please check the form and try again."),
        401: _("Please sign in to continue."),
        403: _("You do not have permission to open this page."),
        404: _("This page does not exist, or you cannot see it."),
        405: _("This action is not allowed here."),
        409: _("Someone else changed this record while you were editing it."),
        413: _("The upload is too large. Send fewer or smaller photos."),
        415: _("This page takes the data of its form only. Fill in the form and send it again."),
        422: _("Some fields need your attention."),
        429: _("Too many attempts. Please wait a few minutes and try again."),
    }
    return messages.get(code, _("Something went wrong on our side. Nothing was saved; please try again."))


def _detail(error, code):
    if isinstance(error, CSRFError):
        return _("The form has expired or was sent from another page. Reload the page and try again.")
    refused = getattr(error, "description", None)
    if code == 422 and isinstance(refused, TextRefused):
        return _("The field “%(field)s” was not accepted: %(reason)s Nothing was saved.", field=refused.field,
                 reason=refused.reason)
    if getattr(error, "photo_store_down", False):  # fieldapp.photos.objects.StoreUnavailable
        return _("The photo archive cannot be reached right now. Nothing was saved: try again in a few "
                 "minutes (the phone keeps what it could not send and retries by itself).")
    return _message(code)


def wants_json():
    return request.path.startswith(JSON_PREFIXES)


def handle(error):
    if not isinstance(error, HTTPException):
        current_app.logger.exception("unhandled error on %s", request.path)
        error = InternalServerError()
    code = error.code or 500
    for prefix, formatter in current_app.extensions.get(EXTENSION_KEY, {}).items():
        if request.path.startswith(prefix):
            with force_locale("en"):
                return formatter(code, _detail(error, code))
    if wants_json():
        with force_locale("en"):
            return jsonify(error=code, message=_detail(error, code)), code
    response = current_app.make_response(
        (render_template("errors/error.html", code=code, message=_detail(error, code)), code)
    )
    if code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def init_app(app):
    app.register_error_handler(HTTPException, handle)
    app.register_error_handler(Exception, handle)
