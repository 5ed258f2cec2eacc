"""The uuid made on the device is the idempotency key: replays store nothing twice, conflicts say so."""
import pytest
from werkzeug.exceptions import BadRequest, Conflict

from fieldapp.db import get_db, new_uuid
from fieldapp.records.idempotency import content_hash, replayed, stored_once


@pytest.fixture
def twins(app):
    with app.test_request_context():
        db = get_db()
        db.execute("CREATE TABLE twins (uuid TEXT PRIMARY KEY, content_hash TEXT)")
        yield db


def store(db, uuid, fields):
    db["twins"].insert({"uuid": uuid, "content_hash": content_hash(fields)})


def test_content_hash_ignores_key_order():
    assert content_hash({"a": 1, "b": [1, 2]}) == content_hash({"b": [1, 2], "a": 1})


def test_a_replay_returns_the_stored_row(twins):
    uuid = new_uuid()
    store(twins, uuid, {"kind": "x"})
    assert replayed("twins", uuid, {"kind": "x"})["uuid"] == uuid


def test_a_new_uuid_is_not_a_replay(twins):
    assert replayed("twins", new_uuid(), {"kind": "x"}) is None


def test_the_same_uuid_with_other_content_is_a_conflict(twins):
    uuid = new_uuid()
    store(twins, uuid, {"kind": "x"})
    with pytest.raises(Conflict):
        replayed("twins", uuid, {"kind": "y"})


def test_a_malformed_uuid_is_refused(twins):
    with pytest.raises(BadRequest):
        replayed("twins", "not-a-uuid", {})


def test_a_twin_request_that_lost_the_race_counts_as_stored(twins):
    uuid, fields = new_uuid(), {"kind": "x"}
    store(twins, uuid, fields)  # the other request, a moment earlier
    with stored_once("twins", uuid, fields):
        store(twins, uuid, fields)
    assert twins["twins"].count == 1


def test_a_racing_twin_with_other_content_is_a_conflict(twins):
    uuid = new_uuid()
    store(twins, uuid, {"kind": "x"})
    with pytest.raises(Conflict), stored_once("twins", uuid, {"kind": "y"}):
        store(twins, uuid, {"kind": "y"})
