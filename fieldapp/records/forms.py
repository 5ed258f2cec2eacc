"""What every field record's form shares: the device's uuid and clock, the version an edit started from,
the checks on its day and on the rows due after it, and the one way a stale edit is answered."""
from flask import abort, flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField

from fieldapp.fields import EARLIEST, FOLLOWUP_HORIZON, AppForm, local_today, whole_number


class FieldRecordForm(AppForm):
    """The head of a form a phone may send from its outbox (DESIGN.md, "Field records: one rule")."""

    uuid = HiddenField()
    client_created_at = HiddenField(filters=[lambda v: (v or "")[:40] or None])
    version = HiddenField()


def check_day(field, future_message):
    """A record's day: not in the future, not before the service began."""
    day = field.data
    if day and not field.errors:
        if day > local_today():
            field.errors.append(future_message)
        elif day < EARLIEST:
            field.errors.append(_l("Check the year: the date is before the service began."))


def check_due(rows, day, before_message, horizon_message):
    """Rows due after the record (follow-ups, next steps): not before its day, nor two years after."""
    if day:
        for row in rows:
            due = row.form.due_on.data
            if due and due < day:
                row.form.due_on.errors.append(before_message)
            elif due and due - day > FOLLOWUP_HORIZON:  # never day + horizon: year 9999 overflows
                row.form.due_on.errors.append(horizon_message)
    # FieldList keeps the row errors it saw while validating; count the ones added since.
    row_errors = [row.errors for row in rows]
    rows.errors = row_errors if any(row_errors) else []


def save_edit(form, record, content, stored, validate, save, reread):
    """An edit of a stored record, against the version it started from.

    Returns ("unchanged" | "saved" | None, status, conflict): a stale edit (another version was saved
    meanwhile) is a 409 with the saved record as `conflict`, the user's own text still in the form.
    """
    if whole_number(form.version.data or "") is None:
        abort(400)
    if content == stored:
        # Nothing to change, or this very edit already arrived once.
        flash(_("No changes to save."), "info")
        return "unchanged", 200, None
    if int(form.version.data) != record["version"]:
        conflict = record
    elif not validate():
        return None, 422, None
    elif save():
        return "saved", 200, None
    else:
        conflict = reread()
    form.version.data = str(conflict["version"])
    return None, 409, conflict
