"""The meeting form: where and when, counts by group (never names), topics, outcomes, next steps."""
from datetime import date, time

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from fieldapp.fields import (
    BAD_DATE,
    BAD_TIME,
    UNKNOWN_CHOICE,
    MultiCheckboxField,
    RowForm,
    choices,
    in_vocab_order,
    local_now,
    local_today,
    strip,
    whole_number,
)
from fieldapp.meetings.vocab import (
    CONTEXTS,
    KINDS,
    OUTCOMES,
    PLACE_MAX,
    STEP_MAX,
    STEPS_MAX,
    SUMMARY_MAX,
    TOPICS,
)
from fieldapp.numbers import BoundedWhole
from fieldapp.records.forms import FieldRecordForm, check_day, check_due


def count_field(label):
    return BoundedWhole("participants", label, default=0, validators=[Optional()])


class StepForm(RowForm):
    action = StringField(_l("Next step"), filters=[strip], validators=[
        Optional(), Length(max=STEP_MAX, message=_l("Keep each step within %(max)d characters."))])
    due_on = DateField(_l("By"), validators=[Optional()], invalid_value_message=BAD_DATE)

    def is_blank(self):
        return not self.action.data and not self.due_on.data and not self.due_on.errors

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.is_blank():
            return ok
        if not self.action.data:
            self.action.errors.append(_l("Say what the next step is."))
        if not self.due_on.data and not self.due_on.errors:
            self.due_on.errors.append(_l("Set a date for this step."))
        return ok and not (self.action.errors or self.due_on.errors)


class MeetingForm(FieldRecordForm):
    context = RadioField(_l("Where"), choices=choices(CONTEXTS), default="borgo_loreto",
                         invalid_choice_message=UNKNOWN_CHOICE,
                         validators=[InputRequired(_l("Choose where the meeting took place."))])
    building = SelectField(_l("Building"), invalid_choice_message=UNKNOWN_CHOICE, validators=[Optional()])
    quartiere = SelectField(_l("Quartiere"), invalid_choice_message=UNKNOWN_CHOICE, validators=[Optional()])
    held_on = DateField(_l("Date"), default=local_today, invalid_value_message=BAD_DATE,
                        validators=[InputRequired(_l("Enter the date of the meeting."))])
    start_time = TimeField(_l("Start time"), default=lambda: local_now().time(), invalid_value_message=BAD_TIME,
                           validators=[InputRequired(_l("Enter when the meeting started."))])
    duration_minutes = BoundedWhole("meeting_minutes", default=90,
                                    validators=[InputRequired(_l("Enter how long the meeting lasted."))])
    place = StringField(_l("Place"), filters=[strip], validators=[
        InputRequired(_l("Enter where the meeting was held.")),
        Length(max=PLACE_MAX, message=_l("Keep the place within %(max)d characters."))])
    kind = RadioField(_l("Kind of meeting"), choices=choices(KINDS), invalid_choice_message=UNKNOWN_CHOICE,
                      validators=[InputRequired(_l("Choose the kind of meeting."))])
    participants_public_housing = count_field(_l("Public-housing residents"))
    participants_other_residents = count_field(_l("Other residents"))
    participants_services = count_field(_l("Services"))
    participants_third_sector = count_field(_l("Third sector"))
    participants_committees = count_field(_l("Neighbourhood committees"))
    topics = MultiCheckboxField(_l("Topics"), choices=choices(TOPICS))
    outcomes = MultiCheckboxField(_l("Outcomes"), choices=choices(OUTCOMES))
    summary = TextAreaField(_l("Short summary"), filters=[strip], validators=[
        Optional(), Length(max=SUMMARY_MAX, message=_l("Keep the summary within %(max)d characters."))])
    steps = FieldList(FormField(StepForm), min_entries=1, max_entries=STEPS_MAX)

    COUNTS = ("participants_public_housing", "participants_other_residents", "participants_services",
              "participants_third_sector", "participants_committees")

    def prepare(self, buildings, quartieri):
        blank = [SelectChoice("", _l("Choose…"))]
        self.building.choices = blank + [SelectChoice(str(b["id"]), b["address"]) for b in buildings]
        self.quartiere.choices = blank + [SelectChoice(str(q["id"]), f"{q['id']} · {q['name']}") for q in quartieri]

    def count_fields(self):
        return [getattr(self, name) for name in self.COUNTS]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        check_day(self.held_on, _l("A meeting cannot be logged before it happens."))
        if self.context.data == "building" and not self.building.data and not self.building.errors:
            self.building.errors.append(_l("Choose the building."))
        if self.context.data == "quartiere" and not self.quartiere.data and not self.quartiere.errors:
            self.quartiere.errors.append(_l("Choose the quartiere."))
        counts = [field.data for field in self.count_fields()]
        if not any(field.errors for field in self.count_fields()) and not sum(c or 0 for c in counts):
            self.participants_public_housing.errors.append(_l("Count at least one participant."))
        check_due(self.steps, self.held_on.data, _l("A next step cannot be due before the meeting."),
                  _l("Set a date within two years of the meeting."))
        return ok and not self.errors

    def content(self):
        """What this submission says, normalised: the stored values and the idempotency fingerprint."""
        context = self.context.data
        held, start = self.held_on.data, self.start_time.data
        return {
            "context": context,
            "building_id": _int(self.building.data) if context == "building" else None,
            "quartiere_id": _int(self.quartiere.data) if context == "quartiere" else None,
            "held_on": held.isoformat() if held else None,
            "start_time": start.strftime("%H:%M") if start else None,
            "duration_minutes": self.duration_minutes.data,
            "place": self.place.data or None,
            "kind": self.kind.data,
            **{name: getattr(self, name).data or 0 for name in self.COUNTS},
            "topics": in_vocab_order(self.topics.data, TOPICS),
            "outcomes": in_vocab_order(self.outcomes.data, OUTCOMES),
            "summary": self.summary.data or None,
            "steps": [
                {"action": row.form.action.data, "due_on": row.form.due_on.data.isoformat()
                 if row.form.due_on.data else None}
                for row in self.steps if not row.form.is_blank()
            ],
        }


def _int(value):
    number = whole_number(str(value or ""))
    return number if number is not None else (value or None)


def stored_content(meeting, steps):
    """A stored meeting in the shape of MeetingForm.content()."""
    keys = ("context", "building_id", "quartiere_id", "held_on", "start_time", "duration_minutes", "place", "kind",
            *MeetingForm.COUNTS, "topics", "outcomes", "summary")
    return {**{key: meeting[key] for key in keys},
            "steps": [{"action": s["action"], "due_on": s["due_on"]} for s in steps]}


def form_data(meeting, steps):
    """A stored meeting as the form's initial data, for the edit page."""
    data = {key: meeting[key] for key in ("context", "duration_minutes", "place", "kind", *MeetingForm.COUNTS,
                                          "topics", "outcomes", "summary")}
    hours, minutes = meeting["start_time"].split(":")
    data.update({
        "building": str(meeting["building_id"] or ""),
        "quartiere": str(meeting["quartiere_id"] or ""),
        "held_on": date.fromisoformat(meeting["held_on"]),
        "start_time": time(int(hours), int(minutes)),
        "version": str(meeting["version"]),
        "steps": [{"action": s["action"], "due_on": date.fromisoformat(s["due_on"])} for s in steps],
    })
    return data
