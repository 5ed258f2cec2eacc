"""The residents' report form: a building, where and what, an optional photo and contact; a honeypot."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, FileField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from fieldapp.fields import AppForm, choices, optional_int
from fieldapp.messages.addresses import EmailAddress, phone_number
from fieldapp.reports.api import AREAS, CATEGORIES


class ResidentReportForm(AppForm):
    building = SelectField(_l("Building"), coerce=optional_int,
                           invalid_choice_message=_l("Choose the building from the list."),
                           validators=[InputRequired(message=_l("Choose the building from the list."))])
    area = RadioField(_l("Where"), choices=choices(AREAS), invalid_choice_message=_l("Choose the common area."),
                      validators=[InputRequired(message=_l("Choose the common area."))])
    category = RadioField(_l("What is the problem"), choices=choices(CATEGORIES),
                          invalid_choice_message=_l("Choose what the problem is from the list."),
                          validators=[InputRequired(message=_l("Choose what the problem is from the list."))])
    description = TextAreaField(_l("Description"), validators=[
        Optional(), Length(max=2000, message=_l("Write at most %(max)d characters."))])
    photo = FileField(_l("Photo (optional)"))
    email = EmailField(_l("Your e-mail (optional)"), render_kw={"autocomplete": "email"}, validators=[
        Length(max=254, message=_l("Write at most %(max)d characters.")),
        EmailAddress(_l("Write your e-mail as name@example.org, or leave the field empty."))])
    phone = TelField(_l("Your phone (optional)"), render_kw={"autocomplete": "tel"}, validators=[
        Optional(), Length(max=40, message=_l("Write at most %(max)d characters."))])
    # Hidden from people (CSS and aria-hidden); a bot filling every field fills this one too.
    website = StringField(_l("Leave this field empty"))

    def validate_phone(self, field):
        number = phone_number(field.data)
        if number is None:
            raise ValidationError(_l("Write the phone number with digits only (a + in front is fine)."))
        field.data = number
