from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from fieldapp.access import ROLE_LABELS, ROLES
from fieldapp.fields import AppForm
from fieldapp.messages.addresses import EmailAddress

EMAIL_HELP = _l("Write an e-mail address such as name@example.org, or leave the field empty.")


class PasswordForm(AppForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=256)])
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


class UserForm(PasswordForm):
    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(min=3, max=40),
        Regexp(r"^[a-z0-9._-]+$", message=_l("Use lower-case letters, digits, dots, dashes.")),
    ])
    display_name = StringField(_l("Name shown"), validators=[DataRequired(), Length(max=80)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])
    presidio = SelectField(_l("Presidio"), validators=[Optional()])
    email = EmailField(_l("E-mail address"), validators=[Length(max=254), EmailAddress(EMAIL_HELP)])


class UserEditForm(AppForm):
    display_name = StringField(_l("Name shown"), validators=[DataRequired(), Length(max=80)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])
    presidio = SelectField(_l("Presidio"), validators=[Optional()])
    email = EmailField(_l("E-mail address"), validators=[Length(max=254), EmailAddress(EMAIL_HELP)])


class ThrottleClearForm(AppForm):
    username = StringField(validators=[Optional(), Length(max=64)])
    ip = StringField(validators=[DataRequired(), Length(max=64)])
