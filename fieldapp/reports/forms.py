"""Forms of the reports area: the phone form, adding photos, and the operator's decisions."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from fieldapp.fields import AppForm, choices, optional_int
from fieldapp.numbers import VersionField
from fieldapp.photos.forms import PhotosForm
from fieldapp.reports.vocab import AREAS, CATEGORIES, SEVERITIES, STATUSES


class ReportForm(PhotosForm):
    uuid = HiddenField()
    building = SelectField(_l("Building"), coerce=optional_int, invalid_choice_message=_l("Choose the building."),
                           validators=[InputRequired(message=_l("Choose the building."))])
    area = RadioField(_l("Where"), choices=choices(AREAS), invalid_choice_message=_l("Choose the common area."),
                      validators=[InputRequired(message=_l("Choose the common area."))])
    category = RadioField(_l("What is the problem"), choices=choices(CATEGORIES),
                          invalid_choice_message=_l("Choose what the problem is."),
                          validators=[InputRequired(message=_l("Choose what the problem is."))])
    severity = RadioField(_l("How serious"), choices=choices(SEVERITIES), default="moderate",
                          invalid_choice_message=_l("Choose how serious it is."),
                          validators=[InputRequired(message=_l("Choose how serious it is."))])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    # Filled on the device: its position, and the GPS the photos carried before they were shrunk.
    lat = HiddenField()
    lon = HiddenField()
    accuracy = HiddenField()
    photo_lat = HiddenField()
    photo_lon = HiddenField()


class StatusForm(AppForm):
    to = SelectField(_l("New status"), choices=choices(STATUSES), validators=[InputRequired()])
    note = TextAreaField(_l("Reason or note"), validators=[Optional(), Length(max=1000)])
    duplicate_of = SelectField(_l("Same problem as"), validate_choice=False, validators=[Optional()])
    version = VersionField(validators=[InputRequired()])


class ClassificationForm(AppForm):
    category = SelectField(_l("Category"), choices=choices(CATEGORIES), validators=[InputRequired()])
    severity = SelectField(_l("Severity"), choices=choices(SEVERITIES), validators=[InputRequired()])
    version = VersionField(validators=[InputRequired()])
