"""The operator's triage: the most serious new reports first, counts per status, the next report after a
decision, and verifying several at once."""
import html
import re


def text(response):
    return html.unescape(response.get_data(as_text=True))


def new_reports(db):
    return list(db.query("SELECT uuid, version, created_at FROM reports WHERE status = 'new' ORDER BY created_at DESC"))


def staged(db):
    """Every new report moderate, except the newest (urgent) and the next newest (serious)."""
    rows = new_reports(db)
    assert len(rows) >= 4, "the demo needs a few new reports"
    db.execute("UPDATE reports SET severity = 'moderate' WHERE status = 'new'")
    db.execute("UPDATE reports SET severity = 'urgent' WHERE uuid = ?", [rows[0]["uuid"]])
    db.execute("UPDATE reports SET severity = 'serious' WHERE uuid = ?", [rows[1]["uuid"]])
    db.conn.commit()
    oldest_first = [r["uuid"] for r in reversed(rows[2:])]
    return [rows[0]["uuid"], rows[1]["uuid"], *oldest_first]


def listed(response):
    return re.findall(r'href="/reports/([0-9a-f-]{36})"', response.get_data(as_text=True))


def test_new_reports_come_most_serious_first_then_oldest_first(login, db):
    expected = staged(db)
    shown = listed(login("operatore").get("/reports/?status=new"))
    assert shown == expected[:len(shown)] and len(shown) == min(25, len(expected))


def test_other_lists_stay_newest_first(login, db):
    staged(db)
    shown = listed(login("operatore").get("/reports/"))
    newest = [r["uuid"] for r in db.query("SELECT uuid FROM reports ORDER BY created_at DESC, uuid LIMIT 25")]
    assert shown == newest


def test_the_list_counts_reports_per_status(login, db):
    page = text(login("operatore").get("/reports/?status=new&category=waste"))
    counts = {row["status"]: row["n"] for row in db.query(
        "SELECT status, COUNT(*) AS n FROM reports WHERE category = 'waste' GROUP BY status")}
    shown = dict(re.findall(r'status=(\w+)"[^>]*>\s*<span class="report-status[^>]*>[^<]*</span>\s*'
                            r'<span class="status-count-n">(\d+)</span>', page))
    assert {k: int(v) for k, v in shown.items()} == counts


def test_after_a_decision_the_next_report_in_triage_order_opens(login, db):
    order = staged(db)
    client = login("operatore")
    first = next(db.query("SELECT * FROM reports WHERE uuid = ?", [order[0]]))
    response = client.post(f"/reports/{first['uuid']}/status", data={"to": "verified", "version": first["version"]})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/reports/{order[1]}")
    second = next(db.query("SELECT * FROM reports WHERE uuid = ?", [order[1]]))
    response = client.post(f"/reports/{second['uuid']}/status",
                           data={"to": "rejected", "version": second["version"], "note": "Non è una parte comune."},
                           follow_redirects=True)
    assert f"/reports/{order[2]}" == response.request.path
    assert "Ecco la prossima segnalazione in attesa di verifica." in text(response)
    assert 'data-testid="next-report"' in text(response)  # and a way to skip it, to the one after


def test_after_the_last_decision_the_list_says_none_is_left(login, db):
    order = staged(db)
    db.execute("UPDATE reports SET status = 'verified' WHERE status = 'new' AND uuid <> ?", [order[0]])
    db.conn.commit()
    report = next(db.query("SELECT * FROM reports WHERE uuid = ?", [order[0]]))
    response = login("operatore").post(f"/reports/{order[0]}/status",
                                       data={"to": "verified", "version": report["version"]}, follow_redirects=True)
    assert response.request.path == "/reports/" and response.request.args.get("status") == "new"
    assert "Nessun'altra segnalazione è in attesa di verifica." in text(response)


def test_several_reports_are_verified_at_once_and_the_refused_ones_are_named(login, db):
    rows = new_reports(db)[:4]
    good, stale, gone = rows[0], rows[1], rows[2]
    db.execute("UPDATE reports SET status = 'rejected', version = version + 1 WHERE uuid = ?", [gone["uuid"]])
    db.conn.commit()
    response = login("operatore").post("/reports/verify", data={"report": [
        f"{good['uuid']}:{good['version']}", f"{stale['uuid']}:{stale['version'] + 7}",
        f"{gone['uuid']}:{gone['version']}", "not-a-report:1"]}, follow_redirects=True)
    page = text(response)
    status = {r["uuid"]: r["status"] for r in db.query("SELECT uuid, status FROM reports")}
    assert (status[good["uuid"]], status[stale["uuid"]], status[gone["uuid"]]) == ("verified", "new", "rejected")
    assert "1 segnalazione verificata." in page
    assert f"#{stale['uuid'][:8]}" in page and "modificata da qualcun altro" in page
    assert f"#{gone['uuid'][:8]}" in page and "non è più in attesa di verifica" in page
    assert "«not-a-report:1»" in page
    assert f"#{good['uuid'][:8]}" not in page.split("Non verificate")[1]


def test_verifying_with_nothing_ticked_is_refused_and_changes_nothing(login, db):
    before = [tuple(r.values()) for r in db.query("SELECT uuid, status, version FROM reports ORDER BY uuid")]
    response = login("operatore").post("/reports/verify", data={})
    assert response.status_code == 422
    assert "Spunta almeno una segnalazione da verificare." in text(response)
    assert [tuple(r.values()) for r in db.query("SELECT uuid, status, version FROM reports ORDER BY uuid")] == before


def test_only_the_operator_list_in_triage_has_boxes_to_tick(login):
    assert 'name="report"' in text(login("operatore").get("/reports/?status=new"))
    assert 'name="report"' not in text(login("operatore").get("/reports/"))
    assert 'name="report"' not in text(login("tutor.loreto").get("/reports/?status=new"))
