"""One rule for every field record: replay check, validation, stored once in one transaction, the answer.

Visits (with their follow-ups), reports, meetings, interventions and their steps, and the photos sent
through /sync/photos all go through `field_record`:

1. the uuid made on the device, in lowercase (the same uuid in capitals is the same record);
2. a replay (same uuid, same content) answers as the first time and stores nothing, whatever the
   form would say today (a booking sent again after its day is not refused); other content is 409;
3. validation: a refusal (a 422 or 409 page) is returned as it is, with nothing stored;
4. the record is written in one transaction; a twin request that stored it first counts as success;
5. the answer: 303 to the record, or 204 with `X-Cortile-Location` for the outbox.
"""
from urllib.parse import urlsplit

from flask import abort, redirect, request, session

from fieldapp.db import get_db, is_uuid, new_uuid
from fieldapp.records.idempotency import content_hash, replayed, stored_once

OUTBOX_HEADER = "X-Cortile-Outbox"
LOCATION_HEADER = "X-Cortile-Location"


class Refused(Exception):
    """Raised by a `store` step to undo the transaction and answer with `response` (e.g. a 409 page).

    `response` may be a function: it is then called after the rollback (a page rendered outside the
    write transaction).
    """

    def __init__(self, response):
        super().__init__("refused")
        self.response = response


def record_uuid(value):
    """The record's uuid in its one spelling (lowercase); a new one when the form sent none; 400 if bad."""
    value = (value or "").strip().lower()
    if not value:
        return new_uuid()
    if not is_uuid(value):
        abort(400, description="uuid")
    return value


def uuid_list(values):
    """Several device uuids (the photos a form announces), lowercase, each once, in order; 400 if bad."""
    seen = []
    for value in values:
        value = (value or "").strip().lower()
        if not is_uuid(value):
            abort(400, description="photo_uuid")
        if value not in seen:
            seen.append(value)
    return seen


def acknowledge(location):
    """Success: 303 to the record for a browser; 204 + X-Cortile-Location for the outbox."""
    response = redirect(location, 303)
    return outbox_answer(response) if request.headers.get(OUTBOX_HEADER) else response


def outbox_answer(response):
    """A redirect turned into the outbox's answer: 204 with the record's URL in X-Cortile-Location.

    The outbox does not follow it, so a replay does not fetch (and audit-log) a page nobody looks at.
    `X-Cortile-Outbox: replay` marks a background replay: its flashed confirmation is dropped too
    (the outbox says "sent" itself).
    """
    location = response.headers.get("Location", "")
    response.status_code = 204
    response.headers[LOCATION_HEADER] = location
    del response.headers["Location"]
    response.set_data(b"")
    if request.headers.get(OUTBOX_HEADER) == "replay":
        session.pop("_flashes", None)
    return response


def acknowledge_outbox_posts(response):
    """Any form the outbox posts (field records and the rest) that succeeded: the outbox's answer."""
    if (not request.headers.get(OUTBOX_HEADER) or request.method != "POST"
            or response.status_code not in (301, 302, 303)):
        return response
    if urlsplit(response.headers.get("Location", "")).path == "/login":
        return response  # a signed-out phone keeps its items and asks to sign in
    return outbox_answer(response)


def init_app(app):
    app.after_request(acknowledge_outbox_posts)


def field_record(table, uuid, fields, *, validate, store, location, key="uuid", transaction=None,
                 on_replay=None, answer=None):
    """Take one field record through the rule above and return the response.

    - `fields`: the normalised submitted content; its hash tells a replay from a conflict.
    - `validate()`: None when it may be stored, else the refusal to return (nothing is stored).
    - `store(tx, uuid, fingerprint)`: writes the record inside the transaction (`tx` is what
      `transaction()` yields: the database by default); it may raise `Refused`.
    - `location(uuid)`: the URL of the stored record.
    - `on_replay(row)`: optional, e.g. to take the photos that had not arrived the first time.
    - `answer(uuid, replay)`: optional, instead of the 303/204 (the JSON of /sync/photos).
    """
    answer = answer or (lambda uuid, _replay: acknowledge(location(uuid)))
    uuid = record_uuid(uuid)
    stored = replayed(table, uuid, fields, key)
    if stored is not None:
        if on_replay:
            refusal = on_replay(stored)
            if refusal is not None:
                return refusal
        return answer(uuid, True)
    refusal = validate() if validate else None
    if refusal is not None:
        return refusal
    try:
        with stored_once(table, uuid, fields, key), (transaction or get_db().atomic)() as tx:
            store(tx, uuid, content_hash(fields))
    except Refused as refused:
        return refused.response() if callable(refused.response) else refused.response
    return answer(uuid, False)
