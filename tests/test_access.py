"""Least privilege, proven: every registered route x every role (x presidio where it applies).

Each area lists its routes in tests/test_<area>_access.py as SAMPLES:
    {endpoint: (method, url(db) -> str, scope)}
scope "presidio": the sample URL belongs to presidio P-BLO; a tutor of another presidio must get 404.
This test fails when a route has no sample, so a new route cannot skip the matrix.
"""
import importlib
import shutil
from pathlib import Path

import pytest

from fieldapp.db import connect
from tests.conftest import make_app, signer

# (who, username): tutor.loreto is in P-BLO, the presidio of every "presidio" sample.
WHO = {
    "anonymous": None,
    "tutor": "tutor.loreto",
    "tutor_other_presidio": "tutor.centro",
    "operator": "operatore",
    "community": "community",
    "coordinator": "coordinatrice",
    "equipe": "equipe",
    "educator": "educatore",
    "aler": "aler",
    "admin": "admin",
}


def all_samples():
    samples = {}
    for path in sorted(Path(__file__).parent.glob("test_*_access.py")):
        module = importlib.import_module(f"tests.{path.stem}" if __package__ else path.stem)
        samples.update(module.SAMPLES)
    return samples


SAMPLES = all_samples()


def test_every_route_has_an_access_sample(app):
    endpoints = {e for e in app.view_functions if e != "static"}
    assert endpoints - SAMPLES.keys() == set(), "routes missing from the access matrix"
    assert SAMPLES.keys() - endpoints == set(), "samples for routes that no longer exist"


def expected(app, endpoint, who, scope):
    """The designed answer class for this role on this route."""
    access = app.view_functions[endpoint].access
    if access == "public":
        return "allowed"
    if who == "anonymous":
        return "sign-in"
    role = "tutor" if who.startswith("tutor") else who
    if role not in access:
        return "forbidden"
    if scope == "presidio" and who == "tutor_other_presidio":
        return "not-found"
    return "allowed"


def classify(response, path):
    status = response.status_code
    if status == 302 and "/login?next=" in response.headers.get("Location", ""):
        return "sign-in"
    if status == 401:
        return "sign-in"
    if status == 403:
        return "forbidden"
    if status == 404:
        return "not-found"
    if status >= 500:
        return f"error {status}"
    return "allowed"  # 200, redirects elsewhere, 400/409/422 validation answers


@pytest.mark.parametrize("endpoint", sorted(SAMPLES))
def test_route_answers_as_designed(tmp_path, demo_db, demo_sessions, endpoint):
    """Every role on this route gets its designed answer (all of them checked, every mismatch named).

    The roles share one copy of the demo database, except after a write that was let through: the next
    role then starts from a fresh copy, so that one role's change never decides another's answer.
    """
    method, url, scope = SAMPLES[endpoint]
    wrong, copies = [], 0
    app = None
    for who in WHO:
        if app is None:
            copies += 1
            folder = tmp_path / str(copies)
            folder.mkdir()
            shutil.copy(demo_db, folder / "cortile.db")
            app = make_app(folder, db_file=folder / "cortile.db")
            db = connect(app.config["DATABASE"])
            path = url(db)
            db.close()
        client = app.test_client() if WHO[who] is None else signer(app, demo_sessions)(WHO[who])
        response = client.open(path, method=method, data={})
        answer, designed = classify(response, path), expected(app, endpoint, who, scope)
        if answer != designed:
            wrong.append(f"{who} {method} {path} -> {response.status_code} ({answer}, designed: {designed})")
        if method != "GET" and answer == "allowed":
            app = None
    assert wrong == []
