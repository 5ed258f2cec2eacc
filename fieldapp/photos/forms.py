"""Photo forms shared by every record that takes photos: the files and the device time."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, MultipleFileField

MAX_PHOTOS = 5


class PhotosForm(FlaskForm):
    """Photos for an existing record; photo uuids come as hidden `photo_uuid` inputs made on the device."""

    client_created_at = HiddenField()
    photos = MultipleFileField(_l("Photos"))
