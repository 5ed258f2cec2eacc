"""One number rule: every number a form or an office's file brings is read by fieldapp.bounds. A hostile number
is a 422 naming its field (or a refused row naming its column), never a 500, and nothing is stored."""
import html

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from fieldapp import bounds
from fieldapp.fields import AppForm, RowForm
from fieldapp.interventions.forms import EuroField
from fieldapp.numbers import BoundedDecimal, VersionField
from tests.arrears_data import month_rows
from tests.test_arrears_ledger import HEADER as LEDGER_HEADER
from tests.test_arrears_ledger import NOV, OCT
from tests.test_arrears_ledger import upload as ledger_upload
from tests.test_heating_bounds import changed, demo_files, snapshot, upload
from tests.test_interventions import building, make_reports, plan_data
from tests.test_meetings import meeting_form
from tests.test_pacts import activity, pact_form
from tests.test_plans import plan_form, session
from tests.test_registry_import import HEADER, write
from tests.test_visits import blo_household, visit_form

HOSTILE = ["1e30", "nan", "inf", "-inf", "-0", "99999999999999999999.00", "1.2.3", "²", "٣", "１２", "9" * 40,
           "9" * 19, "-1", "-5", "", "  ", "0x10", "1_000", "12,5", "1.000", "10000"]
NUMBER = st.one_of(st.sampled_from(HOSTILE), st.integers(min_value=-(10**22), max_value=10**22).map(str))

# Every form with a number field: who posts it, where, a valid form, its number fields and their bounds, the table.
FORMS = {
    "visit": ("tutor.loreto", lambda db, client: f"/households/{blo_household(db)['id']}/visits/new",
              lambda db, client: visit_form(db), {"present_count": "present_count",
                                                  "duration_minutes": "visit_minutes"}, "visits"),
    "meeting": ("community", lambda db, client: "/meetings/new", lambda db, client: meeting_form(),
                {"participants_public_housing": "participants", "participants_committees": "participants",
                 "duration_minutes": "meeting_minutes"}, "meetings"),
    "pact": ("community", lambda db, client: "/pacts/new", lambda db, client: pact_form(),
             {"signatories": "signatories", "lat": "latitude", "lon": "longitude"}, "pacts"),
    "pact_activity": ("community", lambda db, client: f"/pacts/{_pact(client)}/activities/new",
                      lambda db, client: activity(), {"volunteers": "volunteers", "person_hours": "person_hours"},
                      "pact_activities"),
    "plan_session": ("educatore", lambda db, client: f"/plans/{_plan(client)}/sessions/new",
                     lambda db, client: session(db, _plan(client)), {"duration_minutes": "visit_minutes"},
                     "plan_sessions"),
    "intervention": ("operatore", lambda db, client: "/interventions/new",
                     lambda db, client: plan_data(db, make_reports(db, building(db))),
                     {"estimated_cost": "cost"}, "interventions"),
}
# The number fields of every form class, as "FormClass.field": each is posted hostile numbers below
# (versions are hidden fields of edits, read by the same bound; DoneForm.actual_cost is the same EuroField as the
# estimate, its refusals are in test_interventions).
COVERED = {"VisitForm.present_count", "VisitForm.duration_minutes", "MeetingForm.duration_minutes",
           *(f"MeetingForm.participants_{g}" for g in ("public_housing", "other_residents", "services",
                                                       "third_sector", "committees")),
           "PactForm.signatories", "PactForm.lat", "PactForm.lon", "ActivityForm.volunteers",
           "ActivityForm.person_hours", "SessionForm.duration_minutes", "InterventionForm.estimated_cost",
           "DoneForm.actual_cost"}


def _pact(client):
    if not hasattr(client, "pact_url"):
        client.pact_url = client.post("/pacts/new", data=pact_form()).headers["Location"].rsplit("/", 1)[1]
    return client.pact_url


def _plan(client):
    if not hasattr(client, "plan_url"):
        plan = client.post("/plans/new", data=plan_form()).headers["Location"].rsplit("/", 1)[1]
        client.post(f"/plans/{plan}/goals", data={"domain": "finances", "text": "Tenere un bilancio"})
        client.plan_url = plan
    return client.plan_url


def _forms(base):
    for form in base.__subclasses__():
        yield form
        yield from _forms(form)


def test_every_number_field_of_every_form_goes_through_a_bound_and_is_fuzzed_here(app):
    numbers, raw = set(), []
    for form in {*_forms(AppForm), *_forms(RowForm)}:
        for name in dir(form):
            unbound = getattr(form, name, None)
            if not isinstance(unbound, UnboundField):
                continue
            kind = unbound.field_class
            if kind.__name__ in ("IntegerField", "DecimalField", "FloatField", "IntegerRangeField",
                                 "DecimalRangeField") or (kind.__module__.startswith("wtforms") and "Number" in
                                                          repr(getattr(kind, "widget", ""))):
                raw.append(f"{form.__name__}.{name}")
            if issubclass(kind, BoundedDecimal | EuroField) and not issubclass(kind, VersionField):
                numbers.add(f"{form.__name__}.{name}")
    assert raw == []
    assert numbers == COVERED


@pytest.mark.parametrize("form", FORMS)
@settings(max_examples=14, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_hostile_number_is_refused_naming_its_field_and_nothing_is_stored(app, login, db, form, data):
    user, url, valid, fields, table = FORMS[form]
    client = login(user)
    field = data.draw(st.sampled_from(sorted(fields)), label="field")
    value = data.draw(NUMBER, label="value")
    target, posted = url(db, client), valid(db, client)
    posted[field] = value
    before = db[table].count
    response = client.post(target, data=posted)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code in (303, 422), (field, value, response.status_code)
    try:
        number = bounds.parse(fields[field], value, required=False)
    except bounds.BoundError:
        number = "refused"
    if response.status_code == 422:
        assert f'id="{field}-error"' in page, (field, value)
        assert db[table].count == before
        if number == "refused":
            with app.test_request_context():  # the label as the Italian page writes it
                assert f"{bounds.BOUNDS[fields[field]].label}: " in page
    else:
        assert number != "refused", (field, value)
        assert db[table].count == before + 1


@pytest.mark.parametrize("value", ["1e30", "nan", "-0,5", "²", "٣", "9" * 40, "1.2.3", "400"])
def test_a_heating_file_with_a_hostile_days_occupied_is_refused_by_row(login, db, value):
    text = demo_files(db)[1]
    column = text.splitlines()[0].split(";").index("giorni_occupazione")
    before = snapshot(db)
    response = upload(login("equipe"), "readings", changed(text, 0, column, value))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Riga 2" in page and "colonna giorni_occupazione" in page
    assert snapshot(db) == before


@pytest.mark.parametrize("row", ["X01-09;Via A 1;1;P-CEN;45,14;10,01;comune;no;;1;1;E-1;1e30;none;no",
                                 "X01-09;Via A 1;1;P-CEN;45,14;10,01;comune;no;;1;1;E-1;٣;none;no",
                                 "X01-09;Via A 1;1;P-CEN;45,14;10,01;comune;no;;1;1;E-1;2,5;none;no",
                                 "X01-09;Via A 1;1;P-CEN;nan;10,01;comune;no;;1;1;E-1;2;none;no",
                                 "X01-09;Via A 1;1;P-CEN;45,14;inf;comune;no;;1;1;E-1;2;none;no",
                                 "X01-09;Via A 1;1;P-CEN;1e30;10,01;comune;no;;1;1;E-1;2;none;no",
                                 "²;Via A 1;²;P-CEN;45,14;10,01;comune;no;;1;1;E-1;2;none;no"])
def test_a_registry_file_with_a_hostile_figure_is_refused_by_row(runner, db, tmp_path, row):
    before = (db["buildings"].count, db["households"].count)
    result = runner.invoke(args=["registry", "import", str(write(tmp_path, f"{HEADER}\n{row}\n"))])
    assert result.exit_code == 1 and "Nothing imported" in result.output and "row 2: " in result.output
    assert (db["buildings"].count, db["households"].count) == before


@pytest.mark.parametrize("value", ["1e30", "nan", "inf", "٣", "1.2.3", "9" * 30, "-" + "9" * 30, "9" * 40])
def test_an_arrears_ledger_with_a_hostile_amount_is_refused_by_row(login, db, value):
    row = month_rows(db, OCT)[0]
    text = f"{LEDGER_HEADER}\r\n{row['code']};{NOV};10.00;10.00;{value}\r\n"
    before = db["ledger_months"].count
    response = ledger_upload(login("equipe"), text)
    assert response.status_code == 422 and "Riga 2: saldo" in html.unescape(response.get_data(as_text=True))
    assert db["ledger_months"].count == before
