"""Photo forms shared by every record that takes photos: the files and the device time."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, MultipleFileField

from fieldapp.fields import AppForm

MAX_PHOTOS = 5


class PhotosForm(AppForm):
    """Photos for an existing record; photo uuids come as hidden `photo_uuid` inputs made on the device."""

    client_created_at = HiddenField()
    photos = MultipleFileField(_l("Photos"))
