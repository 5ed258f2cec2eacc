"""The photo pipeline: check an upload is an image, turn it upright, shrink it, strip its metadata."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import struct
import threading
import warnings
from dataclasses import dataclass, field
from datetime import datetime

import pillow_heif
from flask_babel import lazy_gettext as _l
from PIL import ExifTags, Image
from PIL.Image import Transpose

pillow_heif.register_heif_opener()

LONG_EDGE = 1600
THUMBNAIL_EDGE = 320
MAX_OUTPUT_BYTES = 350_000
# Tried in turn until the photo fits MAX_OUTPUT_BYTES; detailed scenes need the lower ones.
QUALITIES = (82, 76, 70, 64)
# MPO is what Pillow calls the JPEGs many phones write (a JPEG with extra frames).
FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "HEIF"})

MESSAGES = {
    "empty": _l("The file is empty."),
    "too_large": _l("The file is too large."),
    "not_an_image": _l("The file is not an image."),
    "unsupported_format": _l("This image format is not accepted: send a JPEG, PNG, WebP or HEIC photo."),
    "truncated": _l("The image is damaged or incomplete: try sending it again."),
    "too_many_pixels": _l("The image has too many pixels."),
    "over_budget": _l("This image would need too much memory to process: send a smaller photo, "
                      "for example a JPEG from the phone's camera."),
}

# Bytes Pillow stores per pixel, by mode (LA, PA, RGB and the rest take four), and per row (a pointer).
_PIXEL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
_ROW_BYTES = 8
# Formats whose decoder fills a buffer of its own before Pillow copies it: bytes per pixel.
_DECODER_BYTES = {"HEIF": 4, "WEBP": 4}
DECODE_BUDGET = 200 * 1024 * 1024

# EXIF orientation -> the transpose that makes the picture upright (as ImageOps.exif_transpose).
_UPRIGHT = {2: Transpose.FLIP_LEFT_RIGHT, 3: Transpose.ROTATE_180, 4: Transpose.FLIP_TOP_BOTTOM,
            5: Transpose.TRANSPOSE, 6: Transpose.ROTATE_270, 7: Transpose.TRANSVERSE, 8: Transpose.ROTATE_90}
_UTC_OFFSET = re.compile(r"[+-](0\d|1[0-4]):[0-5]\d")
_SHA256 = re.compile(r"[0-9a-f]{64}")

_warnings_lock = threading.Lock()
# One decode at a time per process: a worker's threads together stay within one budget.
_decode_slot = threading.Lock()


class PhotoError(ValueError):
    """A photo the pipeline refuses; .code is stable, .message is a lazy translatable (English msgid)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
        self.message = MESSAGES[code]


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to store: upright, at most LONG_EDGE px, with no metadata left in it."""

    sha256: str
    image: bytes = field(repr=False)
    thumbnail: bytes = field(repr=False)
    width: int
    height: int
    taken_at: str | None
    gps: tuple[float, float] | None


def process(data: bytes, *, max_bytes: int = 15_000_000, max_pixels: int = 50_000_000,
            max_decode_bytes: int = DECODE_BUDGET) -> ProcessedPhoto:
    """Turn an uploaded photo into a stored-size JPEG and thumbnail, or raise PhotoError.

    `max_decode_bytes` bounds the memory (and so the time) decoding may take, checked before decoding.
    """
    if not data:
        raise PhotoError("empty")
    if len(data) > max_bytes:
        raise PhotoError("too_large")
    with _decode_slot, _open(data, max_pixels) as original:
        _load_reduced(original, max_decode_bytes)  # first: PNG reads EXIF by loading, and a failed load is not retried
        with _pillow_warnings():
            orientation, taken_at, gps = _read_exif(original)
        image = _shrink(_flatten(original))
        if orientation in _UPRIGHT:
            image = image.transpose(_UPRIGHT[orientation])
        image.info.clear()  # Pillow copies a JPEG comment across from info
        jpeg = _encode(image)
        thumbnail = image.copy()
        thumbnail.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE), reducing_gap=2.0)
    sha256 = hashlib.sha256(jpeg).hexdigest()
    return ProcessedPhoto(sha256, jpeg, _encode(thumbnail), image.width, image.height, taken_at, gps)


@contextlib.contextmanager
def _pillow_warnings():
    """Bombs become errors; Pillow's warnings about broken EXIF are expected input, not news."""
    # catch_warnings swaps process-wide state: the lock keeps concurrent uploads
    # from restoring each other's filters in the wrong order.
    with _warnings_lock, warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Identify the image from its content and check its size before any pixel is decoded."""
    try:
        with _pillow_warnings():
            im = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise PhotoError("too_many_pixels") from exc
    except Image.UnidentifiedImageError as exc:
        raise PhotoError("not_an_image") from exc
    except Exception as exc:  # a plugin knew the header, then choked on what follows it
        raise PhotoError("truncated") from exc
    if im.format not in FORMATS:
        raise PhotoError("unsupported_format")
    if im.width * im.height > max_pixels:
        raise PhotoError("too_many_pixels")
    if im.format == "HEIF" and _boxes_run_past_end(data):
        raise PhotoError("truncated")
    return im


def _boxes_run_past_end(data: bytes) -> bool:
    """Whether a HEIF file was cut short: libheif paints missing tiles green instead of failing."""
    offset = 0
    for _ in range(1000):  # real files have a handful of top-level boxes
        if offset + 8 > len(data):
            break
        size, _, large = struct.unpack(">I4sQ", bytes(data[offset : offset + 16]).ljust(16, b"\0"))
        if size == 0:  # the last box runs to the end of the file
            return False
        size = large if size == 1 else size
        if size < 8:
            return True
        offset += size
    return offset > len(data)


def decode_cost(im: Image.Image) -> int:
    """Bytes held at the peak of decoding `im` at its current (drafted) size and flattening it to RGB.

    Pillow keeps a row pointer per row too, which is what makes a 1-pixel-wide image so costly.
    """
    width, height = im.size
    pixels = width * height

    def full(pixel_bytes):
        return pixels * pixel_bytes + height * _ROW_BYTES

    cost = full(_PIXEL_BYTES.get(im.mode, 4)) + pixels * _DECODER_BYTES.get(im.format, 0)
    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
        cost += 2 * full(4)  # _flatten: an RGBA copy and the white RGB under it
    elif im.mode.startswith("I;16"):
        cost += full(4) + full(1) + full(4)  # to I, to L, to RGB
    elif im.mode != "RGB":
        cost += full(4)
    return cost


def _load_reduced(im: Image.Image, max_decode_bytes: int = DECODE_BUDGET) -> None:
    """Decode the pixels, at the smallest scale the JPEG decoder can give that covers LONG_EDGE.

    PNG, WebP and HEIC decode at full size only: their cost is checked before any pixel is decoded.
    """
    scale = LONG_EDGE / max(im.size)
    try:
        if scale < 1:
            # A square box would not reduce a wide image: keep the aspect ratio.
            im.draft("RGB", (max(1, int(im.width * scale)), max(1, int(im.height * scale))))
    except Exception as exc:
        raise PhotoError("truncated") from exc
    if decode_cost(im) > max_decode_bytes:
        raise PhotoError("over_budget")
    try:
        im.load()
    except Exception as exc:  # Pillow's decoders raise OSError, SyntaxError, ValueError...
        raise PhotoError("truncated") from exc


def _flatten(im: Image.Image) -> Image.Image:
    """Plain 8-bit RGB, transparent areas on white."""
    if im.mode == "RGB":
        return im
    if im.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        # convert() clips 16-bit values at 255 instead of scaling them.
        im = im.convert("I").point(lambda value: value / 257, "L")
    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        white = Image.new("RGB", im.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return im.convert("RGB")


def _shrink(im: Image.Image) -> Image.Image:
    """Fit within LONG_EDGE, first by cheap whole-pixel averaging, as JPEG draft does."""
    factor = max(im.size) // LONG_EDGE
    if factor >= 2:  # HEIC, PNG and WebP cannot be decoded at a reduced scale
        im = im.reduce(factor)
    im.thumbnail((LONG_EDGE, LONG_EDGE), reducing_gap=2.0)
    return im


def _encode(im: Image.Image) -> bytes:
    """JPEG with no metadata at all: no exif=, icc_profile= or xmp= is ever passed."""
    # Display P3 photos lose a little saturation without their profile; converting
    # to sRGB with ImageCms would cost ~30 ms per photo.
    for quality in QUALITIES:
        buffer = io.BytesIO()
        im.save(buffer, "JPEG", quality=quality, optimize=True)
        if buffer.tell() <= MAX_OUTPUT_BYTES:
            break
    return buffer.getvalue()


def _read_exif(im: Image.Image) -> tuple[int, str | None, tuple[float, float] | None]:
    """Orientation, capture time and position; broken EXIF reads as missing."""
    try:
        exif = im.getexif()
    except Exception:
        return 1, None, None
    orientation = exif.get(ExifTags.Base.Orientation)
    if im.format == "HEIF" or not isinstance(orientation, int):
        orientation = 1  # pillow-heif has already applied the HEIF rotation, which wins over EXIF
    details = _ifd(exif, ExifTags.IFD.Exif)
    taken_at = _timestamp(
        details.get(ExifTags.Base.DateTimeOriginal), details.get(ExifTags.Base.OffsetTimeOriginal)
    ) or _timestamp(exif.get(ExifTags.Base.DateTime), details.get(ExifTags.Base.OffsetTime))
    return orientation, taken_at, _position(_ifd(exif, ExifTags.IFD.GPSInfo))


def _ifd(exif: Image.Exif, tag: int) -> dict:
    try:
        return dict(exif.get_ifd(tag))
    except Exception:
        return {}


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value.strip("\x00 ") if isinstance(value, str) else None


def _timestamp(value: object, offset: object = None) -> str | None:
    """ISO 8601 from an EXIF "YYYY:MM:DD HH:MM:SS", with its UTC offset when the camera gave one."""
    value = _text(value)
    if not value:
        return None
    try:
        moment = datetime.strptime(value[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = _text(offset)
    if offset and _UTC_OFFSET.fullmatch(offset):
        return moment.isoformat() + offset
    return moment.isoformat()


def _position(gps: dict) -> tuple[float, float] | None:
    """(lat, lon) in decimal degrees, or None when any part of it is missing or implausible."""
    tag = ExifTags.GPS
    try:
        lat = _degrees(gps.get(tag.GPSLatitude), gps.get(tag.GPSLatitudeRef), "N", "S", 90)
        lon = _degrees(gps.get(tag.GPSLongitude), gps.get(tag.GPSLongitudeRef), "E", "W", 180)
    except (ArithmeticError, TypeError, ValueError):
        return None
    if lat is None or lon is None or (lat == 0 and lon == 0):  # 0,0 is a GPS without a fix
        return None
    return round(lat, 7), round(lon, 7)


def _degrees(value: object, ref: object, positive: str, negative: str, limit: int) -> float | None:
    ref = (_text(ref) or "").upper()
    if ref not in (positive, negative):
        return None
    parts = [float(part) for part in (value if isinstance(value, tuple) else (value,))]
    if not (1 <= len(parts) <= 3 and parts[0] >= 0 and all(0 <= p < 60 for p in parts[1:])):
        return None  # NaN, from a zero denominator, fails every comparison
    degrees = sum(part / 60**i for i, part in enumerate(parts))
    if degrees > limit:
        return None
    return -degrees if ref == negative else degrees

