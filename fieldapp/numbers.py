"""Form fields for numbers: every figure a form takes is read by `fieldapp.bounds`, under a named bound.

    present_count = BoundedWhole("present_count", _l("How many people were present"), default=1)
    person_hours = BoundedDecimal("person_hours", _l("Person-hours"))

A refused number is the field's error, the BoundError's own words in the user's language ("Volontari:
deve essere tra 0 e 500, non 1.000"); the view answers the form with 422 as for any other field error.
Italian ("12,5") and plain ("12.5") decimals are read alike.
"""
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import HiddenInput, NumberInput

from fieldapp import bounds


class BoundedDecimal(Field):
    """A Decimal within the bound `bound_name`; None when left empty (pair it with InputRequired or Optional)."""

    widget = NumberInput(step="any")

    def __init__(self, bound_name, label=None, validators=None, **kwargs):
        self.bound_name = bound_name
        super().__init__(label if label is not None else bounds.BOUNDS[bound_name].label, validators, **kwargs)

    def convert(self, value):
        return value

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = None
        text = valuelist[0]
        if not isinstance(text, str) or not text.strip():
            return
        try:
            self.data = self.convert(bounds.parse(self.bound_name, text))
        except bounds.BoundError as error:
            # The refused text stays the data: an edit holding it differs from the stored record (never "unchanged").
            self.data = text.strip()[:bounds.MAX_LENGTH]
            raise ValueError(str(error)) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the bound's message says it all; range validators never see the text

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class BoundedWhole(BoundedDecimal):
    """A whole number (int) within the bound `bound_name`, whose places are 0."""

    widget = NumberInput()

    def convert(self, value):
        return int(value)


class Coordinate(BoundedDecimal):
    """A latitude or longitude (bound "latitude" or "longitude") as the float geo.py computes with."""

    def convert(self, value):
        return float(value)


class VersionField(BoundedWhole):
    """The version an edit form started from, hidden."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__("version", label, validators, **kwargs)
