"""How every photo store names a photo, and the one way a store says it cannot be reached."""
import re

from werkzeug.exceptions import ServiceUnavailable

_SHA256 = re.compile(r"[0-9a-f]{64}")


class StoreUnavailable(ServiceUnavailable):
    """The photo store cannot be reached now: nothing was stored, the phone should try again later."""

    description = "The photo store cannot be reached right now; nothing was saved. Try again later."
    photo_store_down = True  # fieldapp.errors gives it its own message


def object_name(sha256: str, thumbnail: bool = False) -> str:
    """The relative name of a photo (or its thumbnail) in any store: content-addressed."""
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a lowercase hex sha256: {sha256!r}")
    return f"{sha256[:2]}/{sha256}_t.jpg" if thumbnail else f"{sha256[:2]}/{sha256}.jpg"
