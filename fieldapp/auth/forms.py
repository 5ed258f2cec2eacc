from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from fieldapp.fields import AppForm
from fieldapp.messages.addresses import EmailAddress

EMAIL_HELP = _l("Write an e-mail address such as name@example.org, or leave the field empty.")


class LoginForm(AppForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class EmailForm(AppForm):
    email = EmailField(_l("E-mail address"), validators=[Length(max=254), EmailAddress(EMAIL_HELP)])
    digest = BooleanField(_l("Send me a morning digest on the days when something waits for me"))
