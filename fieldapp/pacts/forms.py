"""The pact, status, commitment and activity forms."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from fieldapp.fields import BAD_DATE, UNKNOWN_CHOICE, AppForm, choices, local_today, strip, wallclock
from fieldapp.numbers import BoundedDecimal, BoundedWhole, Coordinate
from fieldapp.pacts.vocab import FREQUENCIES, KINDS, NAME_MAX, NOTE_MAX, OFFICES, PLACE_KINDS, SIDES, TEXT_MAX
from fieldapp.reports.api import AREAS

TOO_LONG = _l("Keep this within %(max)d characters: nothing was cut, shorten it yourself.")


def blank_first(vocab):
    return [SelectChoice("", _l("Choose…"))] + choices(vocab)


class PactForm(AppForm):
    kind = SelectField(_l("Kind of pact"), choices=blank_first(KINDS), invalid_choice_message=UNKNOWN_CHOICE,
                       validators=[InputRequired(_l("Choose the kind of pact."))])
    place_kind = RadioField(_l("Common good"), choices=choices(PLACE_KINDS), default="point",
                            invalid_choice_message=UNKNOWN_CHOICE,
                            validators=[InputRequired(
                                _l("Say whether the common good is a building's area or a place."))])
    building = SelectField(_l("Building"), coerce=str, invalid_choice_message=UNKNOWN_CHOICE, validators=[Optional()])
    common_area = SelectField(_l("Common area"), choices=blank_first(AREAS), invalid_choice_message=UNKNOWN_CHOICE,
                              validators=[Optional()])
    place_name = StringField(_l("Name of the place"), filters=[strip],
                             validators=[Optional(), Length(max=NAME_MAX, message=TOO_LONG)])
    lat = Coordinate("latitude", validators=[
        Optional(), NumberRange(44.9, 45.4, _l("The place must be in Cremona."))])
    lon = Coordinate("longitude", validators=[
        Optional(), NumberRange(9.8, 10.3, _l("The place must be in Cremona."))])
    office = SelectField(_l("Municipal office that signs"), choices=blank_first(OFFICES),
                         invalid_choice_message=UNKNOWN_CHOICE,
                         validators=[InputRequired(_l("Choose the municipal office that signs the pact."))])
    signatories = BoundedWhole("signatories", validators=[
        InputRequired(_l("Enter how many residents sign (a number: names stay with the office)."))])
    proposed_on = DateField(_l("Proposed on"), default=local_today, invalid_value_message=BAD_DATE,
                            validators=[InputRequired(_l("Enter the date of the proposal."))])
    ends_on = DateField(_l("Runs until"), invalid_value_message=BAD_DATE, validators=[Optional()])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.place_kind.data == "building":
            if not self.building.data:
                self.building.errors.append(_l("Choose the building."))
                ok = False
            if not self.common_area.data:
                self.common_area.errors.append(_l("Choose the common area."))
                ok = False
        elif self.place_kind.data == "point":
            if not self.place_name.data:
                self.place_name.errors.append(_l("Name the place, e.g. Piazza dei Patrioti."))
                ok = False
            if (self.lat.data is None or self.lon.data is None) and not (self.lat.errors or self.lon.errors):
                self.lat.errors.append(_l("Give the position of the place: latitude and longitude."))
                ok = False
        if self.ends_on.data and self.proposed_on.data and self.ends_on.data <= self.proposed_on.data:
            self.ends_on.errors.append(_l("The end comes after the proposal."))
            ok = False
        return ok


class StatusForm(AppForm):
    to_status = HiddenField(validators=[InputRequired()])
    on = DateField(_l("Date"), default=local_today, invalid_value_message=BAD_DATE,
                   validators=[InputRequired(_l("Enter the date of this step."))])
    note = StringField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=NOTE_MAX, message=TOO_LONG)])
    ends_on = DateField(_l("Renewed until"), invalid_value_message=BAD_DATE, validators=[Optional()])


class CommitmentForm(AppForm):
    side = RadioField(_l("Side"), choices=choices(SIDES), invalid_choice_message=UNKNOWN_CHOICE,
                      validators=[InputRequired(_l("Choose the side."))])
    role = StringField(_l("Who (a role, never a name)"), filters=[strip], validators=[
        InputRequired(_l("Say who takes it on, by role.")), Length(max=NAME_MAX, message=TOO_LONG)])
    action = StringField(_l("What"), filters=[strip], validators=[
        InputRequired(_l("Say what is done.")), Length(max=TEXT_MAX, message=TOO_LONG)])
    frequency = SelectField(_l("How often"), choices=blank_first(FREQUENCIES), invalid_choice_message=UNKNOWN_CHOICE,
                            validators=[InputRequired(_l("Choose how often."))])


class ActivityForm(AppForm):
    uuid = HiddenField()
    client_created_at = HiddenField(filters=[lambda v: (v or "")[:40] or None])
    held_on = DateField(_l("Date"), default=local_today, invalid_value_message=BAD_DATE,
                        validators=[InputRequired(_l("Enter the date of the activity."))])
    volunteers = BoundedWhole("volunteers", validators=[InputRequired(_l("Enter how many volunteers took part."))])
    person_hours = BoundedDecimal("person_hours", validators=[InputRequired(_l("Enter the person-hours given."))])
    meeting = SelectField(_l("Discussed at the meeting of"), invalid_choice_message=UNKNOWN_CHOICE,
                          validators=[Optional()])
    note = TextAreaField(_l("Short note"), filters=[strip],
                         validators=[Optional(), Length(max=NOTE_MAX, message=TOO_LONG)])
    photos = MultipleFileField(_l("Photos"))

    def prepare(self, meetings):
        self.meeting.choices = [SelectChoice("", _l("No meeting"))] + [
            SelectChoice(m["uuid"], f"{wallclock(m['held_on'])} · {m['place']}") for m in meetings]

    def content(self, pact, announced):
        return {"pact_id": pact["id"], "held_on": self.held_on.data.isoformat() if self.held_on.data else None,
                "volunteers": self.volunteers.data,
                "person_hours": str(self.person_hours.data) if self.person_hours.data is not None else None,
                "meeting_uuid": self.meeting.data or None, "note": self.note.data or None, "photo_uuids": announced}
