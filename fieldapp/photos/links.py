"""Photo links for people without an account (ALER's office): signed, and valid for PHOTO_LINK_DAYS.

The token names one photo and the time it was made; itsdangerous signs it with the app's secret key.
The time is read from fieldapp.clock, like every other time of the app. An e-mail builds the link with
`fieldapp.messages.mail.link("photos.shared", token=token_for(uuid))`.
"""
from flask import current_app
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from fieldapp import clock

SALT = "cortile.photo-link"
MAX_TOKEN = 200


class ClockSigner(TimestampSigner):
    def get_timestamp(self):
        return int(clock.utc_now().timestamp())


def _serializer(secret):
    return URLSafeTimedSerializer(secret, salt=SALT, signer=ClockSigner)


def token_for(photo_uuid, secret=None):
    return _serializer(secret or current_app.config["SECRET_KEY"]).dumps(photo_uuid)


def photo_uuid(token):
    """The photo a token names, or None when it is forged, altered or older than PHOTO_LINK_DAYS."""
    if not token or len(token) > MAX_TOKEN:
        return None
    days = float(current_app.config["PHOTO_LINK_DAYS"])
    try:
        value = _serializer(current_app.config["SECRET_KEY"]).loads(token, max_age=days * 86400)
    except BadSignature:  # expired ones too (SignatureExpired is a BadSignature)
        return None
    return value if isinstance(value, str) else None
