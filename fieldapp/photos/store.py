"""Where photo files live, the local disk or an S3 bucket, behind one interface: open, exists, save, delete.

Both keep one photo as two objects named by the sha256 of the stored JPEG: `<sha[:2]>/<sha>.jpg` and its
thumbnail `<sha[:2]>/<sha>_t.jpg` (under S3_PREFIX in a bucket). Nothing outside this module builds a path.
"""
from __future__ import annotations

import os
import pathlib
import secrets

from flask import Response, current_app, request
from werkzeug.wsgi import wrap_file

from fieldapp.photos.objects import _SHA256, StoreUnavailable, object_name

EXTENSION_KEY = "cortile.photo_store"


class LocalPhotoStore:
    """Photos on the local disk at <root>/<sha[:2]>/<sha>.jpg, thumbnails beside them."""

    kind = "local"

    def __init__(self, root: str | os.PathLike):
        self.root = pathlib.Path(root)

    def save(self, photo) -> None:
        """Store photo.image and photo.thumbnail under photo.sha256; an existing file is kept."""
        # The thumbnail goes first so that an existing photo always has its thumbnail.
        for data, thumbnail in ((photo.thumbnail, True), (photo.image, False)):
            target = self.path(photo.sha256, thumbnail)
            if not target.exists():
                _write_atomically(target, data)

    def path(self, sha256: str, thumbnail: bool = False) -> pathlib.Path:
        return self.root / object_name(sha256, thumbnail)

    def open(self, sha256: str, thumbnail: bool = False):
        """A binary stream of the stored file, or None when there is none."""
        path = self.path(sha256, thumbnail)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return None
        return _LazyFile(path, size)

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def delete(self, sha256: str) -> None:
        # The photo goes first, for the same reason as in save().
        self.path(sha256).unlink(missing_ok=True)
        self.path(sha256, thumbnail=True).unlink(missing_ok=True)

    def check(self) -> None:
        """Raise StoreUnavailable unless photos can be written now."""
        if not os.access(self.root if self.root.exists() else self.root.parent, os.W_OK):
            raise StoreUnavailable()

    def shas(self):
        """Every stored photo's sha256 (for migrating to another store)."""
        for path in sorted(self.root.glob("??/*.jpg")):
            if not path.name.endswith("_t.jpg") and _SHA256.fullmatch(path.stem):
                yield path.stem


class _LazyFile:
    """A stored file opened at its first read and closed at its end: a response never sent holds no handle."""

    def __init__(self, path: pathlib.Path, size: int):
        self.path, self.content_length = path, size
        self._file, self._finished, self._position = None, False, 0

    def read(self, size: int = -1) -> bytes:
        if self._finished:
            return b""
        if self._file is None:
            self._file = open(self.path, "rb")
        data = self._file.read(size)
        self._position += len(data)
        # Closed at the last byte: a client that stops at Content-Length never asks for the empty read.
        if not data or size is None or size < 0 or self._position >= self.content_length:
            self.close()
        return data

    def close(self) -> None:
        self._finished = True
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _write_atomically(target: pathlib.Path, data: bytes) -> None:
    """Readers see the whole file or none of it, even if the process dies half way."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    try:
        with open(temporary, "xb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def photo_response(stream, *, etag: str):
    """A response that sends the stream in chunks as the client reads it (never whole in memory)."""
    response = Response(wrap_file(request.environ, stream), mimetype="image/jpeg", direct_passthrough=True)
    response.content_length = stream.content_length
    response.set_etag(etag)
    return response


def s3_settings(config) -> dict:
    """The S3 connection settings from Cortile's config; credentials fall back to the AWS environment."""
    prefix = config.get("S3_PREFIX") or ""
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return {
        "endpoint": config.get("S3_ENDPOINT") or None,
        "bucket": config.get("S3_BUCKET"),
        "prefix": prefix,
        "region": config.get("S3_REGION") or "us-east-1",
        "access_key_id": config.get("S3_ACCESS_KEY_ID") or os.environ.get("AWS_ACCESS_KEY_ID"),
        "secret_access_key": config.get("S3_SECRET_ACCESS_KEY") or os.environ.get("AWS_SECRET_ACCESS_KEY"),
    }


def store_for(config):
    """A new store for this config: PHOTO_STORE is "local" (PHOTOS_DIR) or "s3" (S3_*)."""
    kind = (config.get("PHOTO_STORE") or "local").lower()
    if kind == "local":
        return LocalPhotoStore(config["PHOTOS_DIR"])
    if kind == "s3":
        from fieldapp.photos.s3 import S3PhotoStore

        return S3PhotoStore(**s3_settings(config))
    raise RuntimeError(f"PHOTO_STORE must be 'local' or 's3', not {kind!r}")


def photo_store():
    """The current app's photo store."""
    store = current_app.extensions.get(EXTENSION_KEY)
    # The local store is rebuilt from config each time: tests point PHOTOS_DIR elsewhere after start-up.
    return store if store is not None else LocalPhotoStore(current_app.config["PHOTOS_DIR"])


def health() -> str:
    """"ok", or "degraded" when photos cannot be stored now."""
    try:
        photo_store().check()
    except StoreUnavailable:
        return "degraded"
    return "ok"


def init_app(app):
    """Build the configured store; for S3, fail now on wrong credentials or bucket, not at the first upload."""
    # Before the start-up migrations create it: `backup restore` may then replace that empty file.
    app.extensions["cortile.database_existed"] = os.path.exists(app.config["DATABASE"])
    store = store_for(app.config)
    if store.kind == "s3":
        store.verify_access(app.logger)
        app.extensions[EXTENSION_KEY] = store
