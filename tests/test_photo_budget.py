"""Photo work within a budget: decode memory is estimated before decoding and refused over the limit."""
import html
import json
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from fieldapp.photos import MESSAGES, PhotoError, process
from tests.test_reports import loreto_building, new_uuid, post, report_form, stored_files, upload

ROOT = Path(__file__).resolve().parents[1]
OVER_BUDGET_IT = "Questa immagine richiederebbe troppa memoria per essere elaborata"


def png(width, height, colour_type, bytes_per_pixel):
    """A valid PNG of blank rows, compressed as it is built: small on disk, huge once decoded."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\0" * (1 + width * bytes_per_pixel)  # filter byte "none", then the pixels
    feed = row * max(1, (1 << 20) // len(row))
    whole, rest = divmod(height * len(row), len(feed))
    # After a full flush deflate forgets what came before, so equal feeds compress to equal bytes:
    # compress one feed and repeat it, instead of compressing hundreds of megabytes.
    if not whole:
        whole, rest, feed = 1, 0, feed[:rest]
    packer, checksum = zlib.compressobj(9, zlib.DEFLATED, -15), 1
    first = packer.compress(feed) + packer.flush(zlib.Z_FULL_FLUSH)
    repeated = packer.compress(feed) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(feed[:rest]) + packer.flush()
    for _ in range(whole):
        checksum = zlib.adler32(feed, checksum)
    checksum = zlib.adler32(feed[:rest], checksum)
    stream = first + repeated * (whole - 1) + last
    idat = [b"\x78\xda", stream, struct.pack(">I", checksum)]
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(idat))
            + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def thin_png():
    """The issue's file: 1 x 50,000,000 grey pixels in about 97 KB (13.7 s and 1.17 GB before)."""
    return png(1, 50_000_000, 0, 1)


@pytest.fixture(scope="module")
def square_rgba_png():
    """7070 x 7070 RGBA, just under the pixel limit (790 MB before)."""
    return png(7070, 7070, 6, 4)


CHILD = """
import json, re, sys, time
from fieldapp.photos import PhotoError, process


def peak_kb():
    # VmHWM is this program's own peak: ru_maxrss would carry the parent's across fork and exec.
    return int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))


data = open(sys.argv[1], "rb").read()
before = peak_kb()
start = time.perf_counter()
try:
    process(data)
    code = None
except PhotoError as error:
    code = error.code
seconds = time.perf_counter() - start
print(json.dumps({"code": code, "seconds": seconds, "grown_kb": peak_kb() - before, "peak_kb": peak_kb()}))
"""


@pytest.mark.parametrize("name", ["thin_png", "square_rgba_png"])
def test_a_small_file_that_would_decode_huge_is_refused_fast_and_without_memory(request, tmp_path, name):
    data = request.getfixturevalue(name)
    assert len(data) < 300_000
    path = tmp_path / "bomb.png"
    path.write_bytes(data)
    # A fresh process: its peak memory is this photo's, not that of earlier tests.
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["code"] == "over_budget"
    assert result["seconds"] < 1
    assert result["grown_kb"] < 20 * 1024  # nothing like the 1.17 GB a decode took
    assert result["peak_kb"] < 300 * 1024  # the whole process stays under 300 MB


def test_the_budget_is_what_decides_and_it_can_be_raised():
    # 3000 x 3000 RGBA needs ~103 MiB decoded and flattened: within the default, not within 50 MiB.
    data = png(3000, 3000, 6, 4)
    assert process(data).width == 1600
    with pytest.raises(PhotoError) as refused:
        process(data, max_decode_bytes=50 * 1024 * 1024)
    assert refused.value.code == "over_budget"
    assert MESSAGES["over_budget"]


def test_a_jpeg_is_costed_at_the_reduced_scale_it_decodes_at():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), "teal").save(buffer, "JPEG")
    # Full size would be ~46 MiB; drafted to 2000 x 1500 it is ~11 MiB.
    assert process(buffer.getvalue(), max_decode_bytes=20 * 1024 * 1024).width == 1600


def test_five_such_photos_in_one_report_form_get_a_422_in_italian_and_store_nothing(
        app, login, db, thin_png, square_rgba_png):
    client = login("tutor.loreto")
    reports_before = db["reports"].count
    photos_before = db["photos"].count
    uuid = new_uuid()
    files = [(f"bomb{n}.png", thin_png if n % 2 else square_rgba_png) for n in range(5)]
    start = time.perf_counter()
    response = post(client, "/reports/new", data={**report_form(loreto_building(db)), "uuid": uuid,
                                                  "photos": upload(*files)})
    elapsed = time.perf_counter() - start
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert page.count(OVER_BUDGET_IT) == 5
    assert elapsed < 5
    assert db["reports"].count == reports_before and db["photos"].count == photos_before
    assert stored_files(app) == []


def test_a_smaller_configured_budget_refuses_through_the_form(tmp_path, demo_db):
    import shutil

    from tests.conftest import make_app

    target = tmp_path / "cortile.db"
    shutil.copy(demo_db, target)
    app = make_app(tmp_path, db_file=target, PHOTO_DECODE_BUDGET_MB=10)
    client = app.test_client()
    assert client.post("/login", data={"username": "tutor.loreto", "password": "demo-cortile"}).status_code == 302
    from fieldapp.db import connect

    db = connect(str(target))
    response = post(client, "/reports/new", data={**report_form(loreto_building(db)), "uuid": new_uuid(),
                                                  "photos": upload(("big.png", png(2000, 2000, 2, 3)))})
    assert response.status_code == 422
    assert OVER_BUDGET_IT in html.unescape(response.get_data(as_text=True))
    assert stored_files(app) == []
