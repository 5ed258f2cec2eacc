"""The plan, goal, session, review and closing forms. Over-limit notes are refused, never cut."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from fieldapp.fields import BAD_DATE, UNKNOWN_CHOICE, AppForm, MultiCheckboxField, choices, local_today, strip
from fieldapp.numbers import BoundedWhole
from fieldapp.plans.vocab import (
    BIRTH_BANDS,
    CLOSING_REASONS,
    DOMAINS,
    GOAL_MAX,
    NOTE_MAX,
    PROTOCOL_MAX,
    REFERRERS,
    SECTION_MAX,
    SESSION_KINDS,
)

TOO_LONG = _l("Keep this within %(max)d characters: nothing was cut, shorten it yourself.")


def section(label):
    return TextAreaField(label, filters=[strip], validators=[Optional(), Length(max=SECTION_MAX, message=TOO_LONG)])


def blank_first(vocab, prompt):
    return [SelectChoice("", prompt)] + choices(vocab)


class PlanForm(AppForm):
    household = StringField(_l("Household code"), filters=[strip, lambda v: (v or "").upper()],
                            validators=[InputRequired(_l("Enter the code of the person's household."))])
    birth_band = SelectField(_l("Decade of birth"), choices=blank_first(BIRTH_BANDS, _l("Choose…")),
                             invalid_choice_message=UNKNOWN_CHOICE,
                             validators=[InputRequired(_l("Choose the decade of birth."))])
    referrer = SelectField(_l("Proposed by"), choices=blank_first(REFERRERS, _l("Choose…")),
                           invalid_choice_message=UNKNOWN_CHOICE,
                           validators=[InputRequired(_l("Choose who proposed the plan."))])
    agreed_on = DateField(_l("Date the person agreed"), invalid_value_message=BAD_DATE,
                          validators=[InputRequired(_l("Enter the date the person agreed to the plan."))])
    protocol = StringField(_l("Protocol number of the signed agreement"), filters=[strip], validators=[
        InputRequired(_l("Enter the protocol number of the signed agreement.")),
        Length(max=PROTOCOL_MAX, message=TOO_LONG)])
    review_on = DateField(_l("Next review"), invalid_value_message=BAD_DATE, validators=[Optional()])
    objectives = section(_l("Objectives"))
    expected_results = section(_l("Expected results"))
    supports = section(_l("Supports"))
    commitments = section(_l("Commitments"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.agreed_on.data and self.agreed_on.data > local_today():
            self.agreed_on.errors.append(_l("The agreement cannot be dated in the future."))
            ok = False
        if self.review_on.data and self.agreed_on.data and self.review_on.data <= self.agreed_on.data:
            self.review_on.errors.append(_l("The review comes after the agreement."))
            ok = False
        return ok


class GoalForm(AppForm):
    domain = SelectField(_l("Domain"), choices=blank_first(DOMAINS, _l("Choose…")),
                         invalid_choice_message=_l("Choose a domain from the list."),
                         validators=[InputRequired(_l("Choose a domain from the list."))])
    text = StringField(_l("Goal"), filters=[strip], validators=[
        InputRequired(_l("Write the goal in a few words.")), Length(max=GOAL_MAX, message=TOO_LONG)])
    baseline = StringField(_l("Starting point"), filters=[strip],
                           validators=[Optional(), Length(max=GOAL_MAX, message=TOO_LONG)])
    target = StringField(_l("Expected outcome (score 0)"), filters=[strip],
                         validators=[Optional(), Length(max=GOAL_MAX, message=TOO_LONG)])


class SessionForm(AppForm):
    uuid = HiddenField()
    client_created_at = HiddenField(filters=[lambda v: (v or "")[:40] or None])
    held_on = DateField(_l("Date"), default=local_today, invalid_value_message=BAD_DATE,
                        validators=[InputRequired(_l("Enter the date of the session."))])
    duration_minutes = BoundedWhole("visit_minutes", default=60,
                                    validators=[InputRequired(_l("Enter how long the session lasted."))])
    kind = RadioField(_l("Kind of session"), choices=choices(SESSION_KINDS), invalid_choice_message=UNKNOWN_CHOICE,
                      validators=[InputRequired(_l("Choose the kind of session."))])
    goals = MultiCheckboxField(_l("Goals worked on"), coerce=int)
    note = TextAreaField(_l("Short note"), filters=[strip],
                         validators=[Optional(), Length(max=NOTE_MAX, message=TOO_LONG)])

    def prepare(self, goals):
        self.goals.choices = [SelectChoice(g["id"], g["text"]) for g in goals]

    def check_dates(self, plan):
        """A session cannot come before the person agreed to the plan (not a clock rule: replays pass too)."""
        if self.held_on.data and self.held_on.data.isoformat() < plan["agreed_on"]:
            self.held_on.errors.append(_l("A session cannot be dated before the agreement."))
            return False
        return True

    def content(self, plan):
        return {"plan_id": plan["id"], "held_on": self.held_on.data.isoformat() if self.held_on.data else None,
                "duration_minutes": self.duration_minutes.data, "kind": self.kind.data,
                "goal_ids": sorted(self.goals.data or []), "note": self.note.data or None}


class ReviewForm(AppForm):
    reviewed_on = DateField(_l("Date of the review"), default=local_today, invalid_value_message=BAD_DATE,
                            validators=[InputRequired(_l("Enter the date of the review."))])
    next_review_on = DateField(_l("Next review"), invalid_value_message=BAD_DATE, validators=[Optional()])
    note = TextAreaField(_l("Short note"), filters=[strip],
                         validators=[Optional(), Length(max=NOTE_MAX, message=TOO_LONG)])


class CloseForm(AppForm):
    closed_on = DateField(_l("Closing date"), default=local_today, invalid_value_message=BAD_DATE,
                          validators=[InputRequired(_l("Enter the closing date."))])
    reason = SelectField(_l("Reason"), choices=blank_first(CLOSING_REASONS, _l("Choose…")),
                         invalid_choice_message=UNKNOWN_CHOICE, validators=[InputRequired(_l("Choose the reason."))])
