"""What the field forms share: the local clock, closed choices, checkbox sets and their messages.

Times typed in the field are local wall-clock (Europe/Rome, configurable); stored server times are UTC.
"""
import functools
import re
from datetime import UTC, date, datetime, timedelta

from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_timezone
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations
from werkzeug.routing import IntegerConverter
from wtforms import Form, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from fieldapp.clock import local_now, local_today, local_zone  # noqa: F401  (re-exported: the one clock)

UNKNOWN_CHOICE = _l("Choose one of the listed options.")
UNKNOWN_CHOICES = _l("Unknown option: %(value)s.")
BAD_DATE = _l("Enter a date as day, month and year.")
BAD_TIME = _l("Enter a time as hours and minutes.")
BAD_NUMBER = _l("Enter a whole number.")
ONE_LINE = _l("This field takes one line only: remove the line breaks and tabs.")

# SQLite stores signed 64-bit integers: a bigger number in a query is an OverflowError, so a 500.
SQLITE_INT_MAX = 2**63 - 1
# Dates people type or filter by; far outside, time-zone and day arithmetic overflow (year 1 or 9999).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
_DIGITS = re.compile(r"[0-9]{1,19}")


def whole_number(value, low=0, high=SQLITE_INT_MAX):
    """An ASCII whole number within [low, high], else None (str.isdigit() accepts "²", int() does not)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if low <= number <= high else None


def iso_day(value):
    """A 'YYYY-MM-DD' day between FIRST_DAY and LAST_DAY, else None."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None
    return day if day is not None and FIRST_DAY <= day <= LAST_DAY else None


class IdConverter(IntegerConverter):
    """A database id in a path: ASCII digits within SQLite's range; anything else is a 404, never a 500."""

    regex = r"[0-9]{1,19}"

    def __init__(self, map, fixed_digits=0, min=0, max=SQLITE_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=False)


def optional_int(value):
    """An id from a select, or None; a number SQLite could not hold is no choice at all."""
    if value in (None, ""):
        return None
    number = whole_number(value)
    if number is None:
        raise ValueError(value)
    return number


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


def one_line(form, field):
    """A single-line field holds no line break nor tab (the text rule keeps them for textareas)."""
    if isinstance(field.data, str) and ("\n" in field.data or "\t" in field.data):
        raise StopValidation(ONE_LINE)  # first and last word: a format check of such a text would only confuse


class OneLineMeta:
    """Every single-line text field of a form (StringField but not TextAreaField) gets `one_line`."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, StringField) and not isinstance(field, TextAreaField):
            field.validators = [one_line, *field.validators]
        return field


class AppForm(FlaskForm):
    """The form every page's form is made from: CSRF, and one line where a field has one line."""

    class Meta(OneLineMeta):
        pass


class RowForm(Form):
    """A repeated row inside a FlaskForm: no CSRF of its own, messages in the user's language."""

    class Meta(OneLineMeta):
        def get_translations(self, form):
            return translations


def wallclock(value):
    """A local 'YYYY-MM-DD[THH:MM]' or a UTC '...Z' timestamp, written in the reader's language."""
    if not value:
        return ""
    # Babel's formatting is the dearest part of a timeline entry; the same days recur on every page.
    return _wallclock(value, str(get_locale()), str(get_timezone()))


@functools.lru_cache(maxsize=4096)
def _wallclock(value, locale, zone):
    if value.endswith("Z"):
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
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


def number(value, places=1):
    """A figure in the reader's language, with up to `places` decimals ("167,5", "2.550"); None is a dash."""
    if value is None or value == "":
        return "—"
    return format_decimal(value, "#,##0" + ("." + "#" * places if places else ""))


def init_app(app):
    # Before any blueprint adds its rules: every <int:...> and <id:...> path argument is range-checked.
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["id"] = IdConverter
    app.add_template_filter(wallclock)
    app.add_template_filter(local_datetime)
    app.add_template_filter(local_date)
    app.add_template_filter(number)

# The tutor service began in 2015: an earlier date in a field form is a typing slip.
EARLIEST = date(2015, 1, 1)
# A follow-up or next step further away than this from its record is a typing slip.
FOLLOWUP_HORIZON = timedelta(days=730)
