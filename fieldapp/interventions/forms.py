"""Forms of contractors and interventions. Days and times typed here are local wall-clock (Europe/Rome)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from fieldapp import bounds
from fieldapp.fields import (
    BAD_DATE,
    BAD_TIME,
    UNKNOWN_CHOICE,
    AppForm,
    MultiCheckboxField,
    choices,
    local_today,
    strip,
    whole_number,
)
from fieldapp.interventions.vocab import INSTRUCTIONS_MAX, KINDS, NOTE_MAX, PHOTO_ROLES, REASON_MAX
from fieldapp.messages.addresses import EmailAddress
from fieldapp.photos import uploads


class EuroField(StringField):
    """An amount in euro as people type it: "1.234,50", "1234.5", "80 €" (bound "cost"); .cents holds it in cents."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.cents = None
        self.data = (self.data or "").strip()
        try:
            self.cents = bounds.cents("cost", self.data, required=False)
        except bounds.BoundError as error:
            raise ValueError(str(error)) from None


class ContractorForm(AppForm):
    version = HiddenField()
    name = StringField(_l("Firm name"), filters=[strip], validators=[
        DataRequired(_l("Enter the firm's name.")), Length(max=120)])
    services = MultiCheckboxField(_l("Services"), choices=choices(KINDS), invalid_choice_message=UNKNOWN_CHOICE,
                                  validators=[InputRequired(_l("Choose at least one service."))])
    contact_person = StringField(_l("Contact person"), filters=[strip], validators=[Optional(), Length(max=120)])
    phone = StringField(_l("Phone"), filters=[strip], validators=[
        # The phone page dials it: digits, spaces, + and a few separators only.
        Optional(), Regexp(r"^[+0-9 ()./-]{5,40}$", message=_l("Enter a phone number (digits, spaces and +)."))])
    # Bookings, their changes and cancellations are e-mailed here (fieldapp/interventions/mail.py).
    email = EmailField(_l("Email"), filters=[strip], validators=[
        Length(max=200), EmailAddress(_l("Enter a valid email address."))])
    active = BooleanField(_l("Active: the firm can be booked for new interventions"), default=True)

    def row(self):
        return {
            "name": self.name.data,
            "services": [code for code in KINDS if code in (self.services.data or [])],
            "contact_person": self.contact_person.data or None,
            "phone": self.phone.data or None,
            "email": self.email.data or None,
            "active": int(bool(self.active.data)),
        }


class InterventionForm(AppForm):
    uuid = HiddenField()
    client_created_at = HiddenField(filters=[uploads.device_time])
    reports = MultiCheckboxField(_l("Verified reports"), validate_choice=False)
    kind = SelectField(_l("Kind of work"), choices=[SelectChoice("", _l("Choose…"))] + choices(KINDS),
                       invalid_choice_message=UNKNOWN_CHOICE,
                       validators=[InputRequired(_l("Choose the kind of work."))])
    contractor = SelectField(_l("Contractor"), validate_choice=False,
                             validators=[InputRequired(_l("Choose the contractor."))])
    building = SelectField(_l("Building"), validate_choice=False, validators=[Optional()])
    scheduled_on = DateField(_l("Day"), invalid_value_message=BAD_DATE,
                             validators=[InputRequired(_l("Enter the day of the work."))])
    time_from = TimeField(_l("Start time"), invalid_value_message=BAD_TIME,
                          validators=[InputRequired(_l("Enter when the work starts."))])
    time_to = TimeField(_l("End time"), invalid_value_message=BAD_TIME,
                        validators=[InputRequired(_l("Enter when the work ends."))])
    estimated_cost = EuroField(_l("Estimated cost (EUR)"), validators=[Optional()])
    tutor = SelectField(_l("Tutor to involve"), validate_choice=False, validators=[Optional()])
    tenant_instructions = TextAreaField(_l("What tenants must do (added to the notice)"), filters=[strip],
                                        validators=[Optional(), Length(max=INSTRUCTIONS_MAX)])
    notes = TextAreaField(_l("Notes for the firm and the team"), filters=[strip],
                          validators=[Optional(), Length(max=NOTE_MAX)])
    confirm_distant = BooleanField(_l("Yes, plan one intervention for reports in buildings far apart"))

    def validate_scheduled_on(self, field):
        if field.data and field.data < local_today():
            raise ValidationError(_l("The day is in the past: plan the work for today or a later day."))

    def validate_time_to(self, field):
        if field.data and self.time_from.data and field.data <= self.time_from.data:
            raise ValidationError(_l("The work must end after it starts."))

    def content(self):
        """The normalised submission: what is stored and what the idempotency fingerprint covers."""
        return {
            "reports": sorted(set(self.reports.data or [])),
            "kind": self.kind.data,
            "contractor_id": whole_number(str(self.contractor.data)),
            "building_id": whole_number(str(self.building.data or "")),
            "scheduled_on": self.scheduled_on.data.isoformat() if self.scheduled_on.data else None,
            "time_from": self.time_from.data.strftime("%H:%M") if self.time_from.data else None,
            "time_to": self.time_to.data.strftime("%H:%M") if self.time_to.data else None,
            "estimated_cost_cents": getattr(self.estimated_cost, "cents", None),
            "tutor_id": whole_number(str(self.tutor.data or "")),
            "tenant_instructions": self.tenant_instructions.data or None,
            "notes": self.notes.data or None,
        }


class StepForm(AppForm):
    """A step sent from the office or from a phone on site: its uuid makes a replay harmless."""

    uuid = HiddenField()
    client_created_at = HiddenField(filters=[uploads.device_time])
    # Starting or finishing before the scheduled day: the user said yes to the question first.
    confirm_early = BooleanField(_l("Yes, before the scheduled day"))


class CancelForm(StepForm):
    reason = TextAreaField(_l("Why is it cancelled?"), filters=[strip], validators=[
        DataRequired(_l("Say why the intervention is cancelled.")), Length(max=REASON_MAX)])


class PhotosForm(StepForm):
    role = RadioField(_l("Photos taken"), choices=choices(PHOTO_ROLES), default="before",
                      invalid_choice_message=UNKNOWN_CHOICE,
                      validators=[InputRequired(_l("Say whether the photos are from before or after the work."))])
    photos = MultipleFileField(_l("Photos"))


class DoneForm(StepForm):
    actual_cost = EuroField(_l("Actual cost (EUR)"), validators=[
        InputRequired(_l("Enter the actual cost of the work."))])
    photos = MultipleFileField(_l("Photos after the work"))
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=REASON_MAX)])
