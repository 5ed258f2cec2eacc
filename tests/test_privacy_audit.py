"""Privacy, part 1: the reads that are logged, hashed usernames, pruned sign-in attempts, the audit page."""
import csv
import io
import json

import pytest

from fieldapp import audit as queries


@pytest.fixture
def pseudonym(app):
    """The keyed hash the app stores for a username."""
    def hashed(name):
        with app.app_context():
            return queries.pseudonym(name)
    return hashed


def rows(db, action, target=None):
    if target is None:
        return list(db.query("SELECT * FROM audit_log WHERE action = ? ORDER BY id", [action]))
    return list(db.query("SELECT * FROM audit_log WHERE action = ? AND target = ? ORDER BY id", [action, target]))


def household(db, presidio="P-BLO"):
    return next(db.query(
        "SELECT h.id, h.code FROM households h JOIN units u ON u.id = h.unit_id "
        "JOIN buildings b ON b.id = u.building_id WHERE b.presidio_code = ? ORDER BY h.id LIMIT 1", [presidio]))


def a_visit(db):
    return next(db.query(
        "SELECT v.uuid, h.code FROM visits v JOIN households h ON h.id = v.household_id ORDER BY v.uuid LIMIT 1"))


def test_visit_forms_and_agenda_are_logged(login, db):
    visit, home = a_visit(db), household(db)
    client = login("coordinatrice")
    assert client.get(f"/visits/{visit['uuid']}/edit").status_code == 200
    assert len(rows(db, "visit_edit_read", visit["code"])) == 1
    assert client.get(f"/households/{home['id']}/visits/new").status_code == 200
    assert len(rows(db, "visit_form_read", home["code"])) == 1
    assert client.get("/agenda").status_code == 200
    assert len(rows(db, "agenda_read")) == 1


def test_searches_are_logged_once_per_query_and_minute(login, db):
    client = login("tutor.loreto")
    for q in ("DEMO", "DEMO", "DEMO", "DEMO-BLO"):
        assert client.get("/households/", query_string={"q": q}).status_code == 200
    logged = rows(db, "household_list_read")
    assert [r["detail"].split('"q": ')[1].split(",")[0] for r in logged] == ['"DEMO"', '"DEMO-BLO"']


def test_a_refused_cross_presidio_attempt_is_logged(login, db, pseudonym):
    other = household(db, "P-CEN")
    client = login("tutor.loreto")
    assert client.get(f"/households/{other['id']}").status_code == 404
    refused = rows(db, "access_refused", other["code"])
    assert len(refused) == 1 and refused[0]["username"] == pseudonym("tutor.loreto")
    assert client.get("/households/999999").status_code == 404
    assert len(rows(db, "access_refused")) == 1
    visit = next(db.query("SELECT v.uuid, h.code FROM visits v JOIN households h ON h.id = v.household_id "
                          "WHERE h.id = ? LIMIT 1", [other["id"]]), None) or next(db.query(
        "SELECT v.uuid, h.code FROM visits v JOIN households h ON h.id = v.household_id "
        "JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id "
        "WHERE b.presidio_code = 'P-CEN' LIMIT 1"))
    assert client.get(f"/visits/{visit['uuid']}").status_code == 404
    assert len(rows(db, "access_refused", visit["code"])) >= 1 and len(rows(db, "access_refused")) == 2


def test_usernames_in_the_log_are_keyed_hashes_throttle_rows_keep_names(client, db, pseudonym):
    client.post("/login", data={"username": "Secret.Typo-Password1", "password": "whatever-it-is"})
    dump = "\n".join(str(dict(r)) for r in db.query("SELECT * FROM audit_log"))
    assert "Secret.Typo-Password1" not in dump and pseudonym("Secret.Typo-Password1") in dump
    assert db["login_attempts"].count_where("username = 'Secret.Typo-Password1'") == 1


def test_old_sign_in_attempts_are_pruned(client, db):
    db["login_attempts"].insert({"at": "2026-09-01T10:00:00Z", "username": "old.name", "ip": "10.0.0.1", "success": 0})
    db["login_attempts"].insert({"at": "2026-11-10T10:00:00Z", "username": "recent.name", "ip": "10.0.0.1",
                                 "success": 0})
    client.post("/login", data={"username": "someone", "password": "whatever-it-is"})
    names = {r["username"] for r in db.query("SELECT username FROM login_attempts")}
    assert "old.name" not in names and "recent.name" in names


def test_the_audit_page_shows_italian_time_labels_and_filters(login, db, pseudonym):
    home = household(db)
    db["audit_log"].insert({"at": "2026-11-17T09:30:00Z", "username": pseudonym("tutor.loreto"),
                            "action": "household_read", "target": home["code"]})
    db["audit_log"].insert({"at": "2026-11-10T09:30:00Z", "username": pseudonym("tutor.centro"),
                            "action": "agenda_read"})
    client = login("coordinatrice")  # coordinators look a household up; the administrator cannot
    html = client.get("/admin/audit", query_string={"household": home["code"]}).get_data(as_text=True)
    assert "17 nov 2026 10:30:00" in html and "<td>Scheda del nucleo consultata</td>" in html and "tutor.loreto" in html
    assert "<td>Agenda consultata</td>" not in html
    by_user = client.get("/admin/audit", query_string={"user": "tutor.centro"}).get_data(as_text=True)
    assert "<td>Agenda consultata</td>" in by_user and "<td>Scheda del nucleo consultata</td>" not in by_user
    period = client.get("/admin/audit", query_string={"from": "2026-11-09", "to": "2026-11-10",
                                                      "action": "agenda_read"}).get_data(as_text=True)
    assert "10 nov 2026 10:30:00" in period
    empty = client.get("/admin/audit", query_string={"from": "2026-11-11", "to": "2026-11-12",
                                                     "action": "agenda_read"}).get_data(as_text=True)
    assert "10 nov 2026 10:30:00" not in empty
    bad = client.get("/admin/audit", query_string={"from": "ieri"})
    assert bad.status_code == 422 and "AAAA-MM-GG" in bad.get_data(as_text=True)


def test_the_admin_exports_the_filtered_log_as_csv_and_the_export_is_logged(login, db, pseudonym):
    home = household(db)
    db["audit_log"].insert({"at": "2026-11-17T09:30:00Z", "username": pseudonym("tutor.loreto"),
                            "action": "household_read", "target": home["code"]})
    client = login("admin")
    response = client.get("/admin/audit.csv", query_string={"user": "tutor.loreto", "action": "household_read"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert table and all(r["target"] == "" for r in table)  # who read a household, never which one
    assert table[-1]["local_time"] == "2026-11-17 10:30:00" and table[-1]["user"] == "tutor.loreto"
    assert table[-1]["action_label"] == "Scheda del nucleo consultata"
    assert len(rows(db, "audit_exported")) == 1
    assert login("coordinatrice").get("/admin/audit.csv").status_code == 403


def test_every_action_the_code_logs_has_a_label_in_the_audit_page():
    """The log shows what happened in words, never a code such as plan_read."""
    import re
    from pathlib import Path

    from fieldapp.audit_view import ACTIONS
    from fieldapp.heating.uploads import IMPORTS

    root = Path(__file__).resolve().parents[1]
    logged = set()
    for path in [*root.joinpath("fieldapp").rglob("*.py"), *root.joinpath("sync").rglob("*.py")]:
        logged |= set(re.findall(r'\baudit\("([a-z_0-9]+)"[,)]', path.read_text()))
    logged |= {f"heating_import_{kind.replace('-', '_')}" for kind in IMPORTS}
    logged |= {f"heating_recovery_{state}" for state in ("collected", "offset")}  # audit("heating_recovery_" + state)
    assert len(logged) > 40
    assert sorted(logged - ACTIONS.keys()) == []


def rows_of(html):
    """The audit table's rows: the page around them echoes the filters the reader typed."""
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


@pytest.mark.parametrize("action", ["plan_created", "plan_flag_read", "arrears_plan_read", "household_read",
                                    "heating_household_read", "visit_history_read"])
def test_the_admin_sees_who_did_what_on_a_sensitive_record_but_never_the_household(login, db, pseudonym, action):
    """An individual plan is special-category data (GDPR art. 9), a repayment plan economic hardship."""
    home = household(db)
    db["audit_log"].insert({"at": "2026-11-17T09:30:00Z", "username": pseudonym("educatore"), "action": action,
                            "target": home["code"], "detail": json.dumps({"household": home["code"]})})
    admin = login("admin")
    page = admin.get("/admin/audit", query_string={"action": action}).get_data(as_text=True)
    export = admin.get("/admin/audit.csv", query_string={"action": action}).get_data(as_text=True)
    searched = admin.get("/admin/audit", query_string={"household": home["code"], "action": action}).get_data(
        as_text=True)
    assert "educatore" in rows_of(page) and home["code"] not in rows_of(page) and home["code"] not in export
    assert "educatore" in rows_of(searched)  # the code typed was not used as a filter
    assert home["code"] not in rows_of(searched) and 'name="household"' not in searched
    coordinator = login("coordinatrice").get("/admin/audit", query_string={"household": home["code"]})
    assert home["code"] in coordinator.get_data(as_text=True)
