"""Photos in an S3-compatible bucket (AWS S3, SeaweedFS, MinIO...), with the local store's interface."""
from __future__ import annotations

import hashlib
import os

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from fieldapp.photos.objects import StoreUnavailable, object_name

# Short timeouts and one retry: a phone waiting on a dead endpoint should get its 503 in seconds
# and let its outbox retry, not hold a worker for a minute.
CLIENT_CONFIG = Config(
    connect_timeout=2, read_timeout=15, retries={"max_attempts": 2, "mode": "standard"},
    s3={"addressing_style": "path"}, max_pool_connections=32,
    # Checksums only where the API needs them: S3-compatible servers differ in the newer headers.
    request_checksum_calculation="when_required", response_checksum_validation="when_required",
)
MISSING = {"404", "NoSuchKey", "NotFound"}


class S3Misconfigured(RuntimeError):
    """The bucket answers but refuses us: wrong credentials, or no such bucket."""


class S3PhotoStore:
    """Photos as objects <prefix><sha[:2]>/<sha>.jpg and <sha>_t.jpg in one bucket."""

    kind = "s3"

    def __init__(self, *, bucket, prefix="", endpoint=None, region="us-east-1",
                 access_key_id=None, secret_access_key=None):
        if not bucket:
            raise S3Misconfigured("PHOTO_STORE is s3 but S3_BUCKET is not set")
        self.bucket, self.prefix, self.endpoint = bucket, prefix, endpoint
        self._settings = {"endpoint_url": endpoint, "region_name": region, "aws_access_key_id": access_key_id,
                          "aws_secret_access_key": secret_access_key}
        self._client, self._pid = None, None

    @property
    def client(self):
        # One client per process: a gunicorn worker forked after start-up must not share the
        # master's pooled connections (two processes reading one socket mix their answers).
        if self._pid != os.getpid():
            self._client = boto3.session.Session().client("s3", config=CLIENT_CONFIG, **self._settings)
            self._pid = os.getpid()
        return self._client

    def key(self, sha256: str, thumbnail: bool = False) -> str:
        return self.prefix + object_name(sha256, thumbnail)

    def save(self, photo) -> None:
        """Store photo.image and photo.thumbnail under photo.sha256; an existing photo is kept."""
        if self.exists(photo.sha256):
            return
        # The thumbnail goes first so that an existing photo always has its thumbnail.
        self.put(photo.sha256, photo.thumbnail, thumbnail=True)
        self.put(photo.sha256, photo.image)

    def put(self, sha256: str, data: bytes, thumbnail: bool = False) -> None:
        with _translated_errors():
            # The content's sha256 travels as metadata: `photos migrate` resumes by comparing it.
            self.client.put_object(Bucket=self.bucket, Key=self.key(sha256, thumbnail), Body=data,
                                   ContentType="image/jpeg", Metadata={"sha256": hashlib.sha256(data).hexdigest()})

    def recorded_digest(self, sha256: str, thumbnail: bool = False) -> str | None:
        """The sha256 recorded with a stored object, or None when there is no such object."""
        try:
            with _translated_errors():
                head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256, thumbnail))
        except _Missing:
            return None
        return head.get("Metadata", {}).get("sha256", "")

    def open(self, sha256: str, thumbnail: bool = False):
        """A binary stream of the stored object (read as it is sent), or None when there is none."""
        try:
            with _translated_errors():
                answer = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256, thumbnail))
        except _Missing:
            return None
        stream = answer["Body"]
        stream.content_length = answer["ContentLength"]
        return stream

    def exists(self, sha256: str) -> bool:
        try:
            with _translated_errors():
                self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except _Missing:
            return False
        return True

    def delete(self, sha256: str) -> None:
        # The photo goes first, for the same reason as in save().
        with _translated_errors():
            self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))
            self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256, thumbnail=True))

    def check(self) -> None:
        """Raise StoreUnavailable unless the bucket answers now."""
        try:
            with _translated_errors():
                self.client.head_bucket(Bucket=self.bucket)
        except _Missing:
            raise StoreUnavailable() from None

    def verify_access(self, logger) -> None:
        """At start-up: wrong credentials or a missing bucket stop the app; an unreachable endpoint only warns."""
        where = f"bucket {self.bucket!r} at {self.endpoint or 'AWS S3'}"
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code"))
            if code in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
                raise S3Misconfigured(
                    f"Photo store: access denied to {where}. Check S3_ACCESS_KEY_ID and "
                    f"S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).") from None
            if code in MISSING or code == "NoSuchBucket":
                raise S3Misconfigured(f"Photo store: there is no {where}. Create it, or fix S3_BUCKET.") from None
            logger.warning("Photo store: %s answered %s; photo uploads will get 503 until it recovers", where, code)
        except BotoCoreError as error:
            if "credentials" in type(error).__name__.lower():
                raise S3Misconfigured(f"Photo store: no S3 credentials for {where}.") from None
            logger.warning("Photo store: %s unreachable (%s); photo uploads will get 503 until it is back",
                           where, error)


class _Missing(Exception):
    """The object or bucket is not there (as opposed to: the store cannot be asked)."""


class _translated_errors:
    """Missing objects become _Missing; anything else the client raises becomes StoreUnavailable (503)."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, ClientError):
            if str(error.response.get("Error", {}).get("Code")) in MISSING:
                raise _Missing() from None
            raise StoreUnavailable() from error
        if isinstance(error, BotoCoreError):
            raise StoreUnavailable() from error
        return False
