"""The visit form and its follow-up rows. Times typed in the field are local wall-clock (Europe/Rome)."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from fieldapp import panels
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
from fieldapp.numbers import BoundedWhole
from fieldapp.records.forms import FieldRecordForm, check_day, check_due
from fieldapp.visits.vocab import (
    ARREARS_TRENDS,
    FOLLOWUP_ACTIONS,
    FOLLOWUPS_MAX,
    FRAILTY,
    KINDS,
    NOTE_MAX,
    OUTCOMES,
    PRESENT,
    REFERRALS,
    REPAYMENT_PLANS,
    TOPICS,
)


class FollowupForm(RowForm):
    uuid = HiddenField()
    action = SelectField(_l("Action"), choices=[SelectChoice("", _l("No follow-up"))] + choices(FOLLOWUP_ACTIONS),
                         invalid_choice_message=UNKNOWN_CHOICE)
    due_on = DateField(_l("Due on"), validators=[Optional()], invalid_value_message=BAD_DATE)
    assignee = SelectField(_l("Assigned to"), invalid_choice_message=UNKNOWN_CHOICE)

    def is_blank(self):
        return not self.action.data and not self.due_on.data

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.is_blank():
            return ok
        if not self.action.data:
            self.action.errors.append(_l("Choose what has to be done."))
        if not self.due_on.data and not self.due_on.errors:
            self.due_on.errors.append(_l("Set a due date for this follow-up."))
        if not self.assignee.data and not self.assignee.errors:
            self.assignee.errors.append(_l("Choose who will do it."))
        return ok and not (self.action.errors or self.due_on.errors or self.assignee.errors)


class VisitForm(FieldRecordForm):
    visit_date = DateField(_l("Date"), default=local_today, invalid_value_message=BAD_DATE,
                           validators=[InputRequired(_l("Enter the date of the visit."))])
    visit_time = TimeField(_l("Time"), default=lambda: local_now().time(), invalid_value_message=BAD_TIME,
                           validators=[InputRequired(_l("Enter the time of the visit."))])
    kind = RadioField(_l("Kind of visit"), choices=choices(KINDS), default="monitoring",
                      invalid_choice_message=UNKNOWN_CHOICE,
                      validators=[InputRequired(_l("Choose the kind of visit."))])
    present = MultiCheckboxField(_l("Who was present"), choices=choices(PRESENT))
    present_count = BoundedWhole("present_count", default=1, validators=[
        InputRequired(_l("Enter how many people were present (0 if nobody)."))])
    topics = MultiCheckboxField(_l("What came up"), choices=choices(TOPICS))
    frailty = MultiCheckboxField(_l("Frailty"), choices=choices(FRAILTY))
    arrears_trend = RadioField(_l("Arrears since the last visit"), choices=choices(ARREARS_TRENDS),
                               invalid_choice_message=UNKNOWN_CHOICE, validators=[Optional()])
    repayment_plan = RadioField(_l("Repayment plan"), choices=choices(REPAYMENT_PLANS),
                                invalid_choice_message=UNKNOWN_CHOICE, validators=[Optional()])
    referrals = MultiCheckboxField(_l("Referred to"), choices=choices(REFERRALS))
    outcome = RadioField(_l("Outcome"), choices=choices(OUTCOMES), default="held",
                         invalid_choice_message=UNKNOWN_CHOICE,
                         validators=[InputRequired(_l("Choose the outcome of the visit."))])
    note = TextAreaField(_l("Short note"), filters=[strip], validators=[
        Optional(), Length(max=NOTE_MAX, message=_l("Keep the note within %(max)d characters."))])
    duration_minutes = BoundedWhole("visit_minutes", _l("How long it took (minutes)"), validators=[Optional()])
    followups = FieldList(FormField(FollowupForm), min_entries=1, max_entries=FOLLOWUPS_MAX)

    def prepare(self, household, assignees, default_assignee=None):
        """Per-household setup: the arrears questions only where there are arrears; who can be assigned."""
        # Once the arrears team's ledger has the household, the form shows its read-only view instead.
        self.ledger_view = panels.for_page("visit_form", household)
        if household["arrears_band"] == "none" or self.ledger_view:
            del self.arrears_trend
            del self.repayment_plan
        options = [SelectChoice(str(u["id"]), u["display_name"]) for u in assignees]
        self.assignee_choices = options
        self.default_assignee = str(default_assignee or "")
        for row in self.followups:
            row.assignee.choices = options
            if not row.assignee.data and default_assignee:
                row.assignee.data = str(default_assignee)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        check_day(self.visit_date, _l("The visit cannot be in the future."))
        check_due(self.followups, self.visit_date.data, _l("A follow-up cannot be due before the visit."),
                  _l("Set a due date within two years of the visit."))
        return ok and not self.errors

    def followup_rows(self):
        """The filled follow-up rows as dicts, in a stable order."""
        rows = []
        for row in self.followups:
            if row.form.is_blank():
                continue
            due = row.form.due_on.data
            assignee = row.form.assignee.data
            rows.append({
                "uuid": row.form.uuid.data or None,
                "action": row.form.action.data,
                "due_on": due.isoformat() if due else None,
                "assignee_id": whole_number(str(assignee or ""), 1) or assignee,
            })
        return sorted(rows, key=lambda r: (str(r["due_on"]), str(r["action"]), str(r["assignee_id"])))

    def content(self, household):
        """What this submission says, normalised: the stored values and the idempotency fingerprint."""
        when, at = self.visit_date.data, self.visit_time.data
        arrears = household["arrears_band"] != "none" and "arrears_trend" in self
        return {
            "household_id": household["id"],
            "visited_at": f"{when.isoformat()}T{at.strftime('%H:%M')}" if when and at else None,
            "kind": self.kind.data,
            "present": in_vocab_order(self.present.data, PRESENT),
            "present_count": self.present_count.data,
            "topics": in_vocab_order(self.topics.data, TOPICS),
            "frailty": in_vocab_order(self.frailty.data, FRAILTY),
            "arrears_trend": (self.arrears_trend.data or None) if arrears else None,
            "repayment_plan": (self.repayment_plan.data or None) if arrears else None,
            "referrals": in_vocab_order(self.referrals.data, REFERRALS),
            "outcome": self.outcome.data,
            "note": self.note.data or None,
            "followups": [{k: v for k, v in row.items() if k != "uuid"} for row in self.followup_rows()],
            **with_duration(self.duration_minutes.data),
        }


# The visit's columns that hold what the form took, as it took it (the stored content and the edit form).
STORED_AS_TYPED = ("kind", "present", "present_count", "topics", "frailty", "arrears_trend", "repayment_plan",
                   "referrals", "outcome", "note")


def stored_content(visit, followups):
    """A stored visit and its open follow-ups in the shape of VisitForm.content()."""
    rows = [{"action": f["action"], "due_on": f["due_on"], "assignee_id": f["assignee_id"]} for f in followups]
    return {
        "household_id": visit["household_id"],
        "visited_at": visit["visited_at"],
        **{key: visit[key] for key in STORED_AS_TYPED},
        "followups": sorted(rows, key=lambda r: (str(r["due_on"]), str(r["action"]), str(r["assignee_id"]))),
        **with_duration(visit["duration_minutes"]),
    }


def with_duration(minutes):
    """The duration as part of a visit's content only when given: a visit sent before the field existed (an
    outbox replaying it after the update) keeps the fingerprint it was stored with."""
    return {} if minutes is None else {"duration_minutes": minutes}


def form_data(visit, followups):
    """A stored visit as the form's initial data, for the edit page."""
    visited_at = datetime.strptime(visit["visited_at"], "%Y-%m-%dT%H:%M")
    return {
        "visit_date": visited_at.date(),
        "visit_time": visited_at.time(),
        **{key: visit[key] for key in STORED_AS_TYPED},
        "duration_minutes": visit["duration_minutes"],
        "version": str(visit["version"]),
        "followups": [
            {"uuid": f["uuid"], "action": f["action"], "due_on": date.fromisoformat(f["due_on"]),
             "assignee": str(f["assignee_id"])}
            for f in followups
        ],
    }
