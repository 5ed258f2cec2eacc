"""Residents' reports on /segnala: filed without an account, moderated like any other, followed by token."""
import html
import io
import re
from pathlib import Path

from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.conftest import PHOTOS

PHOTO = PHOTOS / "orientation" / "landscape_1.jpg"


def building_id(db, address_like="Via Sardagna%"):
    return next(db.query("SELECT id FROM buildings WHERE address LIKE ? ORDER BY id LIMIT 1", [address_like]))["id"]


def form(db, **changes):
    data = {"building": str(building_id(db)), "area": "courtyard", "category": "bulky",
            "description": "Un materasso abbandonato vicino ai bidoni.", "email": "resident@example.org"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def counts(db):
    return (db["reports"].count, db["photos"].count, db["events"].count)


def photo_files(app):
    folder = Path(app.config["PHOTOS_DIR"])
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_resident_files_a_report_without_an_account_and_follows_it_by_token(app, client, db, login):
    page = client.get("/segnala")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Segnala un problema" in text and "Informativa sulla privacy" in text
    assert "Comune di Cremona" in text and "art. 6(1)(e)" in text and "/accessibilita" in text

    data = form(db, photo=(io.BytesIO(PHOTO.read_bytes()), "courtyard.jpg"))
    sent = client.post("/segnala", data=data, content_type="multipart/form-data")
    assert sent.status_code == 303
    token = sent.headers["Location"].rsplit("/", 1)[1]
    row = next(db.query("SELECT * FROM reports WHERE public_token = ?", [token]))
    assert (row["source"], row["status"], row["created_by"]) == ("resident", "new", None)
    assert (row["reporter_email"], row["reporter_phone"], row["reporter_updates"]) == ("resident@example.org", None, 1)
    assert token != row["uuid"] and row["uuid"] not in token and len(token) >= 32
    assert db["photos"].count_where("owner = 'report' AND owner_id = ?", [row["uuid"]]) == 1

    status = client.get(f"/segnala/{token}").get_data(as_text=True)
    assert "Da verificare" in status and "Via Sardagna" in status
    assert "resident@example.org" not in status and "materasso" not in status  # no personal data, no text
    assert client.get("/segnala/" + "x" * 32).status_code == 404

    # The operator moderates it like any other report, and sees where it came from.
    operator = login("operatore")
    listing = operator.get("/reports/?status=new").get_data(as_text=True)
    assert row["uuid"] in listing and "Residente (pagina pubblica)" in listing
    detail = operator.get(f"/reports/{row['uuid']}").get_data(as_text=True)
    assert "Residente (pagina pubblica)" in detail and "resident@example.org" in detail
    moved = operator.post(f"/reports/{row['uuid']}/status", data={"to": "verified", "version": row["version"]})
    assert moved.status_code == 303
    assert "Verificata" in client.get(f"/segnala/{token}").get_data(as_text=True)


def test_the_page_is_available_in_english(client):
    client.post("/lang", data={"lang": "en", "next": "/segnala"})
    text = client.get("/segnala").get_data(as_text=True)
    assert "Report a problem in a public-housing building" in text and "Privacy notice" in text


BAD_INPUT = [
    ({"building": None}, "Scegli lo stabile dall'elenco."),
    ({"building": "999999"}, "Scegli lo stabile dall'elenco."),
    ({"category": "fireworks"}, "Scegli il tipo di problema dall'elenco."),
    ({"photo": (io.BytesIO(b"not an image at all"), "photo.jpg")}, "Non è stato salvato nulla"),
    ({"website": "http://spam.example"}, "compilato da un programma"),
]


def test_bad_input_gets_an_italian_message_and_stores_nothing(app, client, db):
    before, files = counts(db), photo_files(app)
    for changes, message in BAD_INPUT:
        answer = client.post("/segnala", data=form(db, **changes), content_type="multipart/form-data")
        assert answer.status_code == 422, changes
        assert message in html.unescape(answer.get_data(as_text=True)), changes
        assert counts(db) == before and photo_files(app) == files, changes


def test_a_photo_over_the_limits_is_refused_with_no_orphan_file(app, client, db):
    app.config["PHOTO_MAX_PIXELS"] = 1_000_000
    big = io.BytesIO()
    Image.new("RGB", (1600, 1000), "orange").save(big, "JPEG")
    before, files = counts(db), photo_files(app)
    answer = client.post("/segnala", data=form(db, photo=(io.BytesIO(big.getvalue()), "big.jpg")),
                         content_type="multipart/form-data")
    assert answer.status_code == 422
    assert "Foto 1 (big.jpg)" in answer.get_data(as_text=True)
    assert counts(db) == before and photo_files(app) == files
    # A request far over the photo limit is cut off before it is read.
    boundary, body = encode_multipart(MultiDict(form(db, photo=FileStorage(io.BytesIO(b"x" * 16_000_000),
                                                                          "huge.jpg"))))
    huge = client.post("/segnala", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert huge.status_code == 413 and "troppo grande" in huge.get_data(as_text=True)
    assert counts(db) == before and photo_files(app) == files


def test_twenty_posts_a_minute_from_one_address_then_429(app, db):
    client = app.test_client()
    address = {"REMOTE_ADDR": "203.0.113.50"}
    for _ in range(20):
        assert client.post("/segnala", data=form(db, building=None), environ_base=address).status_code == 422
    refused = client.post("/segnala", data=form(db), environ_base=address)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    assert "Troppe segnalazioni" in refused.get_data(as_text=True)
    # The same limit covers Open311 posts from that address, with the error in the spec's format.
    open311 = client.post("/open311/v2/requests.json", data={"api_key": "any"}, environ_base=address)
    assert open311.status_code == 429 and open311.get_json()[0]["code"] == 429
    assert db["reports"].count_where("source = 'resident'") == 0
    # Another address is not held up, and the address is never stored in clear.
    other = app.test_client().post("/segnala", data=form(db), environ_base={"REMOTE_ADDR": "198.51.100.8"})
    assert other.status_code == 303
    assert not re.search(r"203\.0\.113", " ".join(r["address"] for r in db["public_hits"].rows))


def test_retention_erases_the_contact_of_reports_closed_over_30_days_ago(app, client, db, runner):
    for _ in range(3):
        assert client.post("/segnala", data=form(db)).status_code == 303
    old, recent, still_open = [r["uuid"] for r in db.query(
        "SELECT uuid FROM reports WHERE source = 'resident' ORDER BY rowid")]
    db.execute("UPDATE reports SET status = 'resolved', updated_at = '2026-10-01T09:00:00Z' WHERE uuid = ?", [old])
    db.execute("UPDATE reports SET status = 'rejected', updated_at = '2026-11-10T09:00:00Z' WHERE uuid = ?", [recent])
    db.conn.commit()
    dry = runner.invoke(args=["retention", "apply"])
    assert "reporters' contacts erased (reports closed over 30 days ago): 1" in dry.output
    assert db["reports"].get(old)["reporter_email"] == "resident@example.org"
    assert runner.invoke(args=["retention", "apply", "--yes"]).exit_code == 0
    contacts = {uuid: db["reports"].get(uuid)["reporter_email"] for uuid in (old, recent, still_open)}
    assert contacts == {old: None, recent: "resident@example.org", still_open: "resident@example.org"}


def test_the_privacy_notice_names_the_dpo_from_the_setting_never_a_placeholder(client, tmp_path, demo_db):
    import shutil

    from tests.conftest import make_app

    demo = client.get("/segnala").get_data(as_text=True)
    notice = demo.split('data-testid="privacy-notice"', 1)[1].split("</section>", 1)[0]
    assert "[" not in notice and "da inserire" not in notice
    assert "DEMO" in notice and "recapito di prova della demo, non reale" in notice
    shutil.copy(demo_db, tmp_path / "real.db")
    real = make_app(tmp_path, db_file=tmp_path / "real.db", DPO_CONTACT="rpd@comune.cremona.it, tel. 0372 407 1")
    page = real.test_client().get("/segnala").get_data(as_text=True)
    assert 'data-testid="dpo-contact">rpd@comune.cremona.it, tel. 0372 407 1<' in page and "DEMO" not in page


def test_a_day_of_reports_from_one_address_then_429_until_tomorrow(app, db):
    """The daily cap: the minute limit alone let one address file 28,800 reports a day."""
    app.config.update(PUBLIC_POSTS_PER_DAY=3, PUBLIC_POSTS_PER_MINUTE=100)
    client = app.test_client()
    address = {"REMOTE_ADDR": "203.0.113.77"}
    for _ in range(3):
        assert client.post("/segnala", data=form(db, building=None), environ_base=address).status_code == 422
    refused = client.post("/segnala", data=form(db), environ_base=address)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == str(24 * 3600)
    assert "troppe segnalazioni oggi" in refused.get_data(as_text=True)
    assert client.post("/segnala", data=form(db, building=None),
                       environ_base={"REMOTE_ADDR": "203.0.113.78"}).status_code == 422  # another address


def test_hashed_addresses_are_kept_a_day_for_reports_an_hour_for_reads(app, db):
    db.execute("INSERT INTO public_hits (kind, address, at) VALUES ('post', 'h:old', '2026-11-17T08:00:00Z'), "
               "('post', 'h:recent', '2026-11-17T12:00:00Z'), ('read', 'h:old', '2026-11-18T08:00:00Z')")
    db.conn.commit()
    app.test_client().post("/segnala", data=form(db, building=None), environ_base={"REMOTE_ADDR": "203.0.113.9"})
    app.test_client().get("/open311/v2/services.json", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    kept = {(row[0], row[1]) for row in db.execute("SELECT kind, address FROM public_hits")}
    assert ("post", "h:old") not in kept and ("post", "h:recent") in kept and ("read", "h:old") not in kept
