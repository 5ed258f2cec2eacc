"""The menu on a phone: four tasks per role in a bottom bar and "More" for the rest; the tutor's agenda
starts on their own follow-ups and its counters follow inline changes."""
import html
import re

import pytest

from fieldapp.clock import local_today
from fieldapp.core.routes import NAV, bar_for, open_to


def text(response):
    return html.unescape(response.get_data(as_text=True))


def bar(page):
    """(labels of the four, labels under More, what the More button says) of the bottom bar."""
    nav = re.search(r'<nav class="app-bar".*?</nav>', page, re.S).group(0)
    more = re.search(r"<details>.*?</details>", nav, re.S)
    sheet = more.group(0) if more else ""
    main = nav.replace(sheet, "")

    def labels(part):
        return [label.strip() for label in re.findall(r"<a [^>]*>([^<]+)</a>", part)]

    summary = re.sub(r"<[^>]+>", " ", re.search(r"<summary[^>]*>(.*?)</summary>", sheet, re.S).group(1)) if more else ""
    return labels(main), labels(sheet), " ".join(summary.split())


def test_a_tutor_has_four_tasks_and_more(login):
    main, more, summary = bar(text(login("tutor.loreto").get("/agenda")))
    assert main == ["I miei nuclei", "Agenda", "Segnala", "Le mie segnalazioni"]
    assert summary == "Altro" and {"Mappa", "Stabili", "Interventi"} <= set(more)


def test_the_page_in_use_is_named_on_more_when_it_is_there(login):
    page = text(login("tutor.loreto").get("/buildings/"))
    _main, _more, summary = bar(page)
    assert summary == "Altro Stabili"


def test_the_operator_bar_starts_on_the_triage(login):
    page = text(login("operatore").get("/map"))
    main, _more, _summary = bar(page)
    assert main == ["Segnalazioni", "Mappa", "Interventi", "Settimana"]
    assert 'href="/reports/?status=new"' in page


@pytest.mark.parametrize("role", ["tutor", "operator", "community", "coordinator", "equipe", "educator", "aler",
                                  "admin"])
def test_every_bar_entry_exists_and_is_open_to_the_role_and_nothing_is_lost(app, role):
    with app.test_request_context():
        items = bar_for(role)
        assert len(items["main"]) <= 4
        assert all(open_to(endpoint, role) for endpoint, _label, _args in items["main"])
        menu = {e for e, _label, roles in NAV if role in roles and e in app.view_functions}
        assert menu <= {e for e, _l, _a in items["main"]} | {e for e, _l in items["more"]}


def followups(db, username, today):
    return [row["uuid"] for row in db.query(
        """SELECT f.uuid FROM followups f JOIN users u ON u.id = f.assignee_id
           JOIN households h ON h.id = f.household_id
           JOIN units n ON n.id = h.unit_id JOIN buildings b ON b.id = n.building_id
           WHERE u.username = ? AND b.presidio_code = 'P-BLO' AND f.status = 'open' AND f.due_on < ?
             AND h.active = 1""",
        [username, today])]


def test_a_tutor_agenda_starts_on_their_own_followups_and_can_show_all(login, db):
    today = local_today().isoformat()
    mine, theirs = followups(db, "tutor.loreto", today), followups(db, "tutor.loreto2", today)
    assert mine and theirs, "the demo gives both P-BLO tutors overdue follow-ups"
    client = login("tutor.loreto")
    page = text(client.get("/agenda"))
    assert all(f"followup-{u}" in page for u in mine) and not any(f"followup-{u}" in page for u in theirs)
    assert re.search(r'id="mine" name="mine" value="1" checked', page)
    everyone = text(client.get("/agenda?mine=0&mine=1"))  # the box ticked again: only mine
    assert not any(f"followup-{u}" in everyone for u in theirs)
    everyone = text(client.get("/agenda?mine=0"))
    assert all(f"followup-{u}" in everyone for u in mine + theirs)


def test_agenda_counters_follow_an_inline_done(login, db):
    today = local_today().isoformat()
    client = login("tutor.loreto")
    before = int(re.search(r'id="overdue-count">(\d+)<', text(client.get("/agenda"))).group(1))
    done = client.post(f"/followups/{followups(db, 'tutor.loreto', today)[0]}/done", data={"next": "/agenda"},
                       headers={"HX-Request": "true"})
    assert done.status_code == 200 and done.headers["HX-Trigger"] == "followups-changed"
    counts = text(client.get("/agenda/counts", headers={"HX-Request": "true"}))
    assert f'id="overdue-count" hx-swap-oob="true">{before - 1}<' in counts
