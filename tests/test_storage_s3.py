"""Photos in an S3 bucket, against a real SeaweedFS: upload, replay, serving, access, migration, outages."""
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from fieldapp.photos.s3 import S3Misconfigured
from tests.conftest import DEMO_PASSWORD, make_app
from tests.s3 import free_ports
from tests.test_sync import a_report, new_uuid, upload


def demo_copy(tmp_path, demo_db):
    target = tmp_path / "cortile.db"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture
def bucket(s3):
    return s3.new_bucket()


@pytest.fixture
def app(tmp_path, demo_db, s3, bucket):
    """The app on a copy of the demo database, its photos in a fresh bucket."""
    return make_app(tmp_path, db_file=demo_copy(tmp_path, demo_db), **s3.config(bucket))


def sign_in(app, username):
    """A fresh sign-in, not conftest's cached session: that one was opened under the pinned clock."""
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def jpeg(colour):
    """A small photo: the pipeline's cost is not what these tests are about."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def objects(s3, bucket):
    listing = s3.client().list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def body(s3, bucket, key):
    return s3.client().get_object(Bucket=bucket, Key=key)["Body"].read()


def test_uploaded_photo_lands_in_the_bucket_by_content_and_nowhere_on_disk(app, s3, bucket, db):
    client, photo = sign_in(app, "tutor.loreto"), new_uuid()
    response = upload(client, a_report(client, db, [photo]), photo)
    assert response.status_code == 201
    sha = response.json["sha256"]
    assert objects(s3, bucket) == [f"cortile/{sha[:2]}/{sha}.jpg", f"cortile/{sha[:2]}/{sha}_t.jpg"]
    assert hashlib.sha256(body(s3, bucket, f"cortile/{sha[:2]}/{sha}.jpg")).hexdigest() == sha
    assert not Path(app.config["PHOTOS_DIR"]).exists() or not any(Path(app.config["PHOTOS_DIR"]).rglob("*.jpg"))


def test_replayed_and_duplicate_photos_are_stored_once(app, s3, bucket, db):
    client, photo, twin = sign_in(app, "tutor.loreto"), new_uuid(), new_uuid()
    report = a_report(client, db, [photo, twin])
    assert upload(client, report, photo, data=jpeg("navy")).status_code == 201
    again = upload(client, report, photo, data=jpeg("navy"))
    assert again.status_code == 200 and again.json["status"] == "duplicate"
    assert upload(client, report, twin, data=jpeg("navy")).status_code == 201  # same picture, new uuid: a second row
    assert db.execute("SELECT COUNT(*) FROM photos WHERE uuid IN (?, ?)", [photo, twin]).fetchone()[0] == 2
    assert len(objects(s3, bucket)) == 2  # ...and still one photo and one thumbnail in the bucket
    assert upload(client, report, photo, data=jpeg("red")).status_code == 409


def test_report_form_with_photos_stores_them_in_the_bucket(app, s3, bucket, db):
    client, uuid = sign_in(app, "tutor.loreto"), new_uuid()
    from tests.test_sync import report_form

    data = {**report_form(db, uuid), "photos": [(io.BytesIO(jpeg("navy")), "a.jpg")]}
    response = client.post("/reports/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    sha = db.execute("SELECT sha256 FROM photos WHERE owner_id = ?", [uuid]).fetchone()[0]
    assert f"cortile/{sha[:2]}/{sha}.jpg" in objects(s3, bucket)


def test_photo_is_streamed_from_the_bucket_after_the_access_check(app, db):
    client, photo = sign_in(app, "tutor.loreto"), new_uuid()
    sha = upload(client, a_report(client, db, [photo]), photo, data=jpeg("navy")).json["sha256"]
    served = client.get(f"/photos/{photo}", buffered=False)
    assert served.status_code == 200 and served.mimetype == "image/jpeg" and served.is_streamed
    assert int(served.headers["Content-Length"]) > 0
    assert hashlib.sha256(served.get_data()).hexdigest() == sha
    thumb = client.get(f"/photos/{photo}/thumb")
    assert thumb.status_code == 200 and len(thumb.data) < len(served.data)
    assert client.get(f"/photos/{photo}", headers={"If-None-Match": f'"{sha}"'}).status_code == 304
    assert sign_in(app, "tutor.centro").get(f"/photos/{photo}").status_code == 404  # another presidio
    assert app.test_client().get(f"/photos/{photo}").status_code in (302, 401)
    assert sign_in(app, "operatore").get(f"/photos/{photo}").status_code == 200


def test_healthz_reports_the_s3_store(app):
    assert app.test_client().get("/healthz").json == {"status": "ok", "db": "ok", "photos": "ok",
                                                      "version": app.config["VERSION"]}


# --- start-up and outages ---------------------------------------------------------------------

def test_wrong_credentials_stop_the_app_at_start_up(tmp_path, s3, bucket):
    with pytest.raises(S3Misconfigured, match="access denied to bucket .* Check S3_ACCESS_KEY_ID"):
        make_app(tmp_path, **{**s3.config(bucket), "S3_SECRET_ACCESS_KEY": "wrong"})
    with pytest.raises(S3Misconfigured, match="there is no bucket 'missing'"):
        make_app(tmp_path, **{**s3.config("missing")})


@pytest.fixture
def dead_store_app(tmp_path, demo_db, s3):
    """An app whose S3 endpoint does not answer (nothing listens on the port)."""
    dead = {**s3.config("gone"), "S3_ENDPOINT": f"http://127.0.0.1:{free_ports(1)[0]}"}
    return make_app(tmp_path, db_file=demo_copy(tmp_path, demo_db), **dead)


def test_store_down_photo_upload_is_503_and_stores_no_row(dead_store_app):
    app = dead_store_app
    from fieldapp.db import connect

    db = connect(app.config["DATABASE"])
    client, photo = sign_in(app, "tutor.loreto"), new_uuid()
    report, before = a_report(client, db, [photo]), db["photos"].count
    response = upload(client, report, photo, data=jpeg("navy"))
    assert response.status_code == 503
    assert "photo archive cannot be reached" in response.json["message"]
    assert db["photos"].count == before


def test_store_down_report_form_with_photo_is_503_and_stores_nothing(dead_store_app):
    app = dead_store_app
    from fieldapp.db import connect
    from tests.test_sync import report_form

    db = connect(app.config["DATABASE"])
    client, uuid = sign_in(app, "tutor.loreto"), new_uuid()
    before = db["reports"].count, db["photos"].count
    data = {**report_form(db, uuid), "photos": [(io.BytesIO(jpeg("navy")), "a.jpg")]}
    response = client.post("/reports/new", data=data, content_type="multipart/form-data",
                           headers={"X-Cortile-Outbox": "1"})
    assert response.status_code == 503  # the outbox keeps the form and retries on any 5xx
    assert "archivio delle foto non è raggiungibile" in response.get_data(as_text=True)
    assert (db["reports"].count, db["photos"].count) == before


def test_healthz_says_degraded_when_the_store_is_down(dead_store_app):
    response = dead_store_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded" and response.json["photos"] == "degraded"


# --- photos migrate --to s3 -------------------------------------------------------------------

@pytest.fixture
def local_app(tmp_path, demo_db, s3, bucket):
    """The app still on local disk, with the S3 settings ready for the migration."""
    return make_app(tmp_path, db_file=demo_copy(tmp_path, demo_db), **{**s3.config(bucket), "PHOTO_STORE": "local"})


def test_migrate_copies_local_photos_checking_sha256_and_resumes(local_app, tmp_path, demo_db, s3, bucket):
    from fieldapp.db import connect

    db = connect(local_app.config["DATABASE"])
    client, uuids = sign_in(local_app, "tutor.loreto"), [new_uuid() for _ in range(3)]
    report = a_report(client, db, uuids)
    shas = [upload(client, report, uuid, data=jpeg(colour)).json["sha256"]
            for uuid, colour in zip(uuids, ("navy", "olive", "teal"), strict=True)]
    assert objects(s3, bucket) == []
    runner = local_app.test_cli_runner()

    first = runner.invoke(args=["photos", "migrate", "--to", "s3", "--limit", "1"])  # stopped after one
    assert first.exit_code == 0 and "Copied 1 photos" in first.output
    assert len(objects(s3, bucket)) == 2
    second = runner.invoke(args=["photos", "migrate", "--to", "s3"])
    assert second.exit_code == 0 and "Copied 2 photos" in second.output and "1 were already there" in second.output
    assert len(objects(s3, bucket)) == 6

    # A corrupted copy in the bucket is copied again; a corrupted local file is refused and named.
    s3.client().put_object(Bucket=bucket, Key=f"cortile/{shas[0][:2]}/{shas[0]}.jpg", Body=b"garbage")
    local = Path(local_app.config["PHOTOS_DIR"]) / shas[1][:2] / f"{shas[1]}.jpg"
    local.write_bytes(b"rotten")
    third = runner.invoke(args=["photos", "migrate", "--to", "s3"])
    assert third.exit_code == 1 and "Copied 1 photos" in third.output
    assert f"{shas[1]}: the local file does not match its sha256" in third.output
    assert hashlib.sha256(body(s3, bucket, f"cortile/{shas[0][:2]}/{shas[0]}.jpg")).hexdigest() == shas[0]

    # The same database now served from the bucket.
    s3_app = make_app(tmp_path, db_file=Path(local_app.config["DATABASE"]), **s3.config(bucket),
                      PHOTOS_DIR=str(tmp_path / "empty"))
    served = sign_in(s3_app, "tutor.loreto").get(f"/photos/{uuids[2]}")
    assert served.status_code == 200 and hashlib.sha256(served.data).hexdigest() == shas[2]


# --- backup config | status | restore -----------------------------------------------------------

def test_backup_config_sends_the_database_to_the_photo_bucket(app, s3, bucket):
    result = app.test_cli_runner().invoke(args=["backup", "config"])
    assert result.exit_code == 0
    for line in (f'bucket: "{bucket}"', 'path: "cortile/db"', f'endpoint: "{s3.endpoint}"', "force-path-style: true",
                 f'path: "{Path(app.config["DATABASE"]).resolve()}"', 'sync-interval: "1s"'):
        assert line in result.output


def test_backup_status_of_an_empty_replica_says_so(app, bucket):
    result = app.test_cli_runner().invoke(args=["backup", "status"])
    assert result.exit_code == 1 and f"Replica s3://{bucket}/cortile/db: empty (no backup yet)." in result.output


def test_restore_refuses_an_existing_file_without_force(app, tmp_path):
    target = tmp_path / "precious.db"
    target.write_bytes(b"keep me")
    result = app.test_cli_runner().invoke(args=["backup", "restore", "--to", str(target)])
    assert result.exit_code == 1 and "refuses to overwrite it without --force" in result.output
    assert target.read_bytes() == b"keep me"
