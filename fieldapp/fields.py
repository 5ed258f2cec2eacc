"""What the field forms share: the local clock, closed choices, checkbox sets and their messages.

Times typed in the field are local wall-clock (Europe/Rome, configurable); stored server times are UTC.
"""
from datetime import date, datetime, timezone

from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l
from flask_wtf.i18n import translations
from wtforms import Form, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from fieldapp.clock import local_now, local_today, local_zone  # noqa: F401  (re-exported: the one clock)

UNKNOWN_CHOICE = _l("Choose one of the listed options.")
UNKNOWN_CHOICES = _l("Unknown option: %(value)s.")
BAD_DATE = _l("Enter a date as day, month and year.")
BAD_TIME = _l("Enter a time as hours and minutes.")
BAD_NUMBER = _l("Enter a whole number.")




def choices(vocab):
    return [SelectChoice(code, label) for code, label in vocab.items()]


def in_vocab_order(codes, vocab):
    """Codes without repeats, in the vocabulary's order (unknown ones last): a stable JSON array."""
    codes = list(dict.fromkeys(codes or []))
    known = [code for code in vocab if code in codes]
    return known + sorted(code for code in codes if code not in vocab)


def strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    """A set of checkboxes posting one value each; unknown values are refused."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_choice_message", UNKNOWN_CHOICES)
        super().__init__(label, validators, **kwargs)


class RowForm(Form):
    """A repeated row inside a FlaskForm: no CSRF of its own, messages in the user's language."""

    class Meta:
        def get_translations(self, form):
            return translations


def wallclock(value):
    """A local 'YYYY-MM-DD[THH:MM]' or a UTC '...Z' timestamp, written in the reader's language."""
    if not value:
        return ""
    if value.endswith("Z"):
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        return format_datetime(moment, "d MMM y HH:mm")
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    text = format_date(day, "d MMM y")
    return f"{text} {value[11:16]}" if len(value) >= 16 else text


def local_datetime(value, format="short"):
    """A stored UTC timestamp in the user's time zone and language."""
    return format_datetime(datetime.fromisoformat(value), format) if value else ""


def local_date(value, format="medium"):
    """A stored day or timestamp as a date in the user's language."""
    return format_date(datetime.fromisoformat(value), format) if value else ""


def init_app(app):
    app.add_template_filter(wallclock)
    app.add_template_filter(local_datetime)
    app.add_template_filter(local_date)
