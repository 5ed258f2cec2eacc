"""The photo pipeline, on the real photos in shared/data/photos and on files made to hurt it."""
import functools
import hashlib
import io
import random
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageChops, ImageOps, ImageStat
from PIL.Image import Transpose
from PIL.TiffImagePlugin import IFDRational

from fieldapp.photos import MESSAGES, LocalPhotoStore, PhotoError, ProcessedPhoto, process

PHOTOS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "photos"


def files(folder):
    return sorted(p for p in (PHOTOS / folder).iterdir() if p.is_file()) if (PHOTOS / folder).is_dir() else []


def named(path):
    return f"{path.parent.name}/{path.name}"


GPS, ORIENTATION, MOBILE = files("gps"), files("orientation"), files("mobile")
VALID = GPS + ORIENTATION + MOBILE
KNOWN_CODES = set(MESSAGES)
# What each broken sample turns into: all four still decode (see the README of shared/data/photos).
INVALID = {
    "corrupted.jpg": (1600, 1200),  # entropy data damaged near the end: the last ~30 rows come out grey
    "image00971.jpg": (636, 227),
    "image01551.jpg": (61, 58),
    "image02206.jpg": (65, 65),
}


@functools.cache
def processed(path):
    return process(path.read_bytes())


def opened(jpeg):
    im = Image.open(io.BytesIO(jpeg))
    im.load()
    return im


def encoded(im, format="PNG", **params):
    buffer = io.BytesIO()
    im.save(buffer, format, **params)
    return buffer.getvalue()


def png_declaring(width, height):
    """A tiny PNG whose header claims width x height pixels: what a decompression bomb looks like."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def jpeg_with_exif(exif):
    return encoded(Image.new("RGB", (40, 30), "red"), "JPEG", exif=exif)


def refused(data, **limits):
    with pytest.raises(PhotoError) as caught:
        process(data, **limits)
    return caught.value.code


def test_the_shared_sample_photos_are_there():
    assert (len(GPS), len(ORIENTATION), len(MOBILE), len(files("invalid"))) == (4, 8, 2, 4)


@pytest.mark.parametrize("path", VALID, ids=named)
def test_every_valid_photo_becomes_a_jpeg_addressed_by_its_sha256(path):
    photo = processed(path)
    assert isinstance(photo, ProcessedPhoto)
    assert photo.sha256 == hashlib.sha256(photo.image).hexdigest()
    im = opened(photo.image)
    assert (im.format, im.mode, im.size) == ("JPEG", "RGB", (photo.width, photo.height))
    assert opened(photo.thumbnail).format == "JPEG"


@pytest.mark.parametrize("path", VALID, ids=named)
def test_stored_photo_fits_1600_px_and_its_thumbnail_320_px(path):
    photo = processed(path)
    assert max(photo.width, photo.height) <= 1600
    assert max(opened(photo.thumbnail).size) <= 320


@pytest.mark.parametrize("path", MOBILE, ids=named)
def test_full_size_phone_photo_comes_out_at_1600_px(path):
    photo = processed(path)
    assert max(photo.width, photo.height) == 1600
    assert max(opened(photo.thumbnail).size) == 320


@pytest.mark.parametrize("path", MOBILE, ids=named)
def test_phone_photo_is_stored_in_at_most_350_kb(path):
    assert len(processed(path).image) <= 350_000


@pytest.mark.parametrize("kind", ["image", "thumbnail"])
@pytest.mark.parametrize("path", VALID, ids=named)
def test_stored_bytes_keep_no_exif_xmp_icc_or_gps(path, kind):
    jpeg = getattr(processed(path), kind)
    im = opened(jpeg)
    assert not {"exif", "xmp", "icc_profile", "comment", "photoshop", "adobe"} & set(im.info)
    assert dict(im.getexif()) == {}
    assert im.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    for marker in (b"Exif", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"xmpmeta", b"Photoshop"):
        assert marker not in jpeg


def sketch(im):
    """A 16x16 grey sketch, so that any rotation or flip of it can be compared with another."""
    return im.convert("L").resize((16, 16), Image.Resampling.BOX)


def distance(a, b):
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


@pytest.mark.parametrize("path", ORIENTATION, ids=named)
def test_every_orientation_comes_out_upright(path):
    reference = processed(path.with_name(path.name.split("_")[0] + "_1.jpg"))
    photo = processed(path)
    assert (photo.width, photo.height) == (reference.width, reference.height)
    ours, expected = sketch(opened(photo.image)), sketch(opened(reference.image))
    distances = {t: distance(expected, ours.transpose(t)) for t in Transpose}
    distances[None] = distance(expected, ours)
    assert min(distances, key=distances.get) is None, distances


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_undone_as_pillows_exif_transpose_does(orientation):
    im = Image.new("RGB", (3400, 1700), "white")  # big enough to be decoded at half scale
    im.paste((255, 0, 0), (0, 0, 850, 850))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    data = encoded(im, "JPEG", exif=exif)
    with Image.open(io.BytesIO(data)) as original:
        expected = ImageOps.exif_transpose(original)
    photo = process(data)
    assert (photo.width, photo.height) == ((1600, 800) if expected.width > expected.height else (800, 1600))
    assert distance(sketch(opened(photo.image)), sketch(expected)) < 3


@pytest.mark.parametrize("path", GPS, ids=named)
def test_gps_is_read_from_exif(path):
    lat, lon = processed(path).gps
    assert 43.46 <= lat <= 43.47
    assert 11.87 <= lon <= 11.89


@pytest.mark.parametrize("path", ORIENTATION + MOBILE, ids=named)
def test_photo_without_gps_has_no_position(path):
    assert processed(path).gps is None


def test_capture_time_comes_from_exif_date_time_original():
    assert processed(PHOTOS / "gps" / "DSCN0010.jpg").taken_at == "2008-10-22T16:28:39"


def test_capture_time_keeps_the_utc_offset_the_phone_recorded():
    assert processed(PHOTOS / "mobile" / "iphone_13_pro_max.HEIC").taken_at == "2022-02-16T12:55:41+01:00"


def test_same_photo_twice_gives_the_same_sha256():
    data = (PHOTOS / "gps" / "DSCN0010.jpg").read_bytes()
    assert process(data) == process(data)


@pytest.mark.parametrize("name", sorted(INVALID))
def test_damaged_sample_still_decodes_into_a_clean_photo(name):
    photo = process((PHOTOS / "invalid" / name).read_bytes())
    assert (photo.width, photo.height) == INVALID[name]
    assert dict(opened(photo.image).getexif()) == {}


@pytest.mark.parametrize("name", ["mobile/jolla.jpg", "mobile/iphone_13_pro_max.HEIC", "invalid/corrupted.jpg"])
@pytest.mark.parametrize("kept", [0.9, 0.5, 0.1])
def test_upload_cut_short_is_refused_as_truncated(name, kept):
    data = (PHOTOS / name).read_bytes()
    assert refused(data[: int(len(data) * kept)]) == "truncated"


@pytest.mark.parametrize("format", ["PNG", "WEBP"])
def test_cut_short_png_or_webp_is_refused_as_truncated(format):
    data = encoded(Image.effect_noise((400, 300), 60).convert("RGB"), format)
    assert refused(data[: len(data) // 2]) == "truncated"


@pytest.mark.parametrize("name", ["gps/DSCN0010.jpg", "invalid/image01551.jpg", "orientation/portrait_6.jpg"])
def test_mangled_photo_is_either_processed_or_refused_with_a_known_code(name):
    original = (PHOTOS / name).read_bytes()
    rng = random.Random(name)
    for _ in range(40):
        data = bytearray(original)
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            process(bytes(data))
        except PhotoError as error:
            assert error.code in KNOWN_CODES


def test_empty_upload_is_refused():
    assert refused(b"") == "empty"


def test_upload_over_the_byte_limit_is_refused_before_decoding():
    assert refused(b"x" * 101, max_bytes=100) == "too_large"


def test_text_file_named_jpg_is_not_an_image():
    assert refused(b"Gentile tutor, ecco la foto del bagno.\n") == "not_an_image"


def test_pdf_is_not_an_image():
    assert refused(encoded(Image.new("RGB", (20, 20)), "PDF")) == "not_an_image"


@pytest.mark.parametrize("format", ["GIF", "BMP", "TIFF"])
def test_image_in_another_format_is_unsupported(format):
    assert refused(encoded(Image.new("RGB", (20, 20)), format)) == "unsupported_format"


def test_image_over_max_pixels_is_refused_before_its_pixels_are_decoded():
    # The PNG holds no pixel data: decoding it would have failed as "truncated".
    assert refused(png_declaring(4000, 4000), max_pixels=1_000_000) == "too_many_pixels"


def test_decompression_bomb_past_pillows_hard_limit_is_refused():
    assert refused(png_declaring(20000, 20000)) == "too_many_pixels"


def test_image_past_pillows_warning_threshold_is_refused_whatever_max_pixels_says():
    assert Image.MAX_IMAGE_PIXELS < 10000 * 10000
    with warnings.catch_warnings():
        # Outside pytest the warning is only printed: the pipeline must make it an error itself.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        assert refused(png_declaring(10000, 10000), max_pixels=10**9) == "too_many_pixels"


def test_refusing_a_bomb_leaves_pillow_and_warnings_settings_alone():
    limit, filters = Image.MAX_IMAGE_PIXELS, list(warnings.filters)
    refused(png_declaring(10000, 10000), max_pixels=10**9)
    assert (Image.MAX_IMAGE_PIXELS, list(warnings.filters)) == (limit, filters)


def test_jpeg_comment_is_not_carried_into_the_stored_photo():
    photo = process(encoded(Image.new("RGB", (64, 48)), "JPEG", comment=b"Via Roma 12, int. 4"))
    assert b"Via Roma" not in photo.image and b"Via Roma" not in photo.thumbnail


def test_every_refusal_has_an_english_message():
    for code in KNOWN_CODES:
        error = PhotoError(code)
        assert error.code == code and str(error.message).endswith(".")


def test_transparent_areas_come_out_white():
    photo = process(encoded(Image.new("RGBA", (50, 40), (255, 0, 0, 0))))
    assert all(channel >= 250 for channel in opened(photo.image).getpixel((25, 20)))


def test_palette_png_with_transparency_comes_out_white():
    im = Image.new("P", (50, 40), 0)
    im.putpalette([0, 0, 0] * 256)
    photo = process(encoded(im, transparency=0))
    assert all(channel >= 250 for channel in opened(photo.image).getpixel((25, 20)))


def test_sixteen_bit_grey_png_is_scaled_not_clipped():
    photo = process(encoded(Image.new("I;16", (50, 40), 32768)))
    assert all(120 <= channel <= 136 for channel in opened(photo.image).getpixel((25, 20)))


def test_wide_photo_keeps_its_aspect_ratio():
    photo = process(encoded(Image.new("RGB", (4000, 1000), "navy"), "JPEG"))
    assert (photo.width, photo.height) == (1600, 400)


def gps_exif(lat_ref, lat, lon_ref, lon):
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    for tag, value in ((1, lat_ref), (2, lat), (3, lon_ref), (4, lon)):
        if value is not None:
            gps[tag] = value
    return exif


def dms(*parts):
    return tuple(IFDRational(*part) for part in parts)


def test_south_and_west_coordinates_are_negative():
    exif = gps_exif("S", dms((33, 1), (30, 1), (0, 1)), "W", dms((70, 1), (15, 1), (0, 1)))
    assert process(jpeg_with_exif(exif)).gps == (-33.5, -70.25)


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(("N", dms((43, 1), (28, 1), (2, 0)), "E", dms((11, 1), (53, 1), (6, 1))), id="zero-denominator"),
        pytest.param((None, dms((43, 1), (28, 1), (2, 1)), "E", dms((11, 1), (53, 1), (6, 1))), id="missing-ref"),
        pytest.param(("N", dms((43, 1), (28, 1), (2, 1)), "E", None), id="missing-longitude"),
        pytest.param(("X", dms((43, 1), (28, 1), (2, 1)), "E", dms((11, 1), (53, 1), (6, 1))), id="bad-ref"),
        pytest.param(("N", dms((43, 1), (75, 1), (2, 1)), "E", dms((11, 1), (53, 1), (6, 1))), id="75-minutes"),
        pytest.param(("N", dms((123, 1), (0, 1), (0, 1)), "E", dms((11, 1), (53, 1), (6, 1))), id="lat-123"),
        pytest.param(("N", dms((0, 1), (0, 1), (0, 1)), "E", dms((0, 1), (0, 1), (0, 1))), id="null-island"),
    ],
)
def test_broken_exif_gps_reads_as_no_position(broken):
    assert process(jpeg_with_exif(gps_exif(*broken))).gps is None


def test_exif_pointing_past_its_end_reads_as_no_position():
    # A TIFF header, then one IFD entry: the GPS block, said to start far beyond the data.
    exif = b"Exif\x00\x00II*\x00" + struct.pack("<IHHHII", 8, 1, 0x8825, 4, 1, 0xFFFF) + b"\x00" * 4
    photo = process(jpeg_with_exif(exif))
    assert (photo.gps, photo.width) == (None, 40)


@pytest.mark.parametrize("garbage", ["0000:00:00 00:00:00", "yesterday", "2023:02:30 10:00:00", ""])
def test_garbage_capture_time_reads_as_none(garbage):
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = garbage
    assert process(jpeg_with_exif(exif)).taken_at is None


def small_photo(colour="teal"):
    return process(encoded(Image.new("RGB", (64, 48), colour), "JPEG"))


def test_store_saves_photo_and_thumbnail_under_their_sha256(tmp_path):
    store, photo = LocalPhotoStore(tmp_path), small_photo()
    store.save(photo)
    assert store.path(photo.sha256) == tmp_path / photo.sha256[:2] / f"{photo.sha256}.jpg"
    assert store.path(photo.sha256, thumbnail=True).name == f"{photo.sha256}_t.jpg"
    assert store.path(photo.sha256).read_bytes() == photo.image
    assert store.path(photo.sha256, thumbnail=True).read_bytes() == photo.thumbnail
    assert store.exists(photo.sha256)


def test_store_saving_twice_keeps_one_copy_and_no_temporary_files(tmp_path):
    store, photo = LocalPhotoStore(tmp_path), small_photo()
    store.save(photo)
    store.save(photo)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        [f"{photo.sha256}.jpg", f"{photo.sha256}_t.jpg"]
    )


def test_store_leaves_an_already_stored_photo_untouched(tmp_path):
    store, photo = LocalPhotoStore(tmp_path), small_photo()
    store.save(photo)
    inode = store.path(photo.sha256).stat().st_ino
    store.save(photo)
    assert store.path(photo.sha256).stat().st_ino == inode


def test_store_delete_removes_photo_and_thumbnail(tmp_path):
    store, photo, other = LocalPhotoStore(tmp_path), small_photo(), small_photo("orange")
    store.save(photo)
    store.save(other)
    store.delete(photo.sha256)
    store.delete(photo.sha256)
    assert not store.exists(photo.sha256)
    assert not store.path(photo.sha256, thumbnail=True).exists()
    assert store.exists(other.sha256)


def test_store_does_not_know_a_photo_it_never_saved(tmp_path):
    assert not LocalPhotoStore(tmp_path).exists("0" * 64)


@pytest.mark.parametrize(
    "sha256", ["", "abc", "A" * 64, "0" * 63, "0" * 65, "g" * 64, "../" + "0" * 61, "0" * 63 + "\n", None]
)
def test_store_rejects_a_malformed_sha256(tmp_path, sha256):
    store = LocalPhotoStore(tmp_path)
    for call in (store.path, store.exists, store.delete):
        with pytest.raises(ValueError):
            call(sha256)
