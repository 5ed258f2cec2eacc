"""A real S3 server for tests and benchmarks: SeaweedFS on loopback, free ports, stopped by its PID."""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
import time_machine
from botocore.config import Config

WEED = Path(sys.prefix) / "bin" / "weed"
ACCESS_KEY, SECRET_KEY = "cortile-test", "cortile-test-secret"
READY_SECONDS = 60


@dataclass
class SeaweedFS:
    """A running server: its S3 endpoint and the credentials it accepts."""

    endpoint: str
    pid: int
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY
    region: str = "us-east-1"

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name=self.region,
                            aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key,
                            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))

    def new_bucket(self, name=None):
        """A fresh bucket, so each test (or bench run) starts from an empty store."""
        name = name or f"t{secrets.token_hex(6)}"
        self.client().create_bucket(Bucket=name)
        return name

    def config(self, bucket, prefix="cortile/"):
        """The Cortile settings that put photos in this bucket."""
        return {"PHOTO_STORE": "s3", "S3_ENDPOINT": self.endpoint, "S3_BUCKET": bucket, "S3_PREFIX": prefix,
                "S3_REGION": self.region, "S3_ACCESS_KEY_ID": self.access_key,
                "S3_SECRET_ACCESS_KEY": self.secret_key}


def free_ports(count):
    """Ports nobody listens on now (each socket stays bound until all are chosen, so they differ)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@contextlib.contextmanager
def seaweedfs(folder: Path):
    """Start `weed server` with an S3 gateway under folder; yield a SeaweedFS once buckets can be made."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)  # weed refuses to start without it
    identities = folder / "identities.json"
    identities.write_text(json.dumps({"identities": [{
        "name": "cortile", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8)
    command = [
        str(WEED), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={data}",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}", "-master.telemetry=false",
        "-master.volumeSizeLimitMB=64", "-volume.max=100",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
        f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", f"-s3.config={identities}",
        "-s3.port.iceberg=0", "-s3.port.lance=0",
    ]
    log = open(folder / "weed.log", "wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = SeaweedFS(endpoint=f"http://127.0.0.1:{s3}", pid=process.pid)
    try:
        _wait_until_ready(server, process, folder / "weed.log")
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=3)  # test data: no need to wait for a tidy shutdown
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _wait_until_ready(server, process, log_path):
    """Poll until create_bucket answers: the S3 port opens some seconds before it accepts writes."""
    client, deadline, last = server.client(), time.monotonic() + READY_SECONDS, None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"weed exited with {process.returncode}: {log_path.read_text()[-2000:]}")
        try:
            client.create_bucket(Bucket="ready")
            client.put_object(Bucket="ready", Key="probe", Body=b"ok")
            return
        except Exception as error:  # connection refused, 503 while the filer starts...
            last = error
            time.sleep(0.3)
    raise RuntimeError(f"SeaweedFS not ready after {READY_SECONDS} s: {last}")


# --- pytest fixtures: import `s3` into a test module; one server serves every module of a session ------

@contextlib.contextmanager
def real_time(traveller):
    """The real clock for a while: S3 refuses requests signed 15 minutes off the server's time."""
    pinned, started = datetime.now(UTC), time_machine.escape_hatch.time.time()
    traveller.move_to(datetime.fromtimestamp(started, UTC))
    try:
        yield
    finally:
        traveller.move_to(pinned + timedelta(seconds=time_machine.escape_hatch.time.time() - started))


_shared = {"users": 0, "server": None, "context": None}


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory, pinned_clock):
    """One SeaweedFS per test session (per xdist worker), however many modules import this fixture."""
    if _shared["users"] == 0:
        with real_time(pinned_clock):
            _shared["context"] = seaweedfs(tmp_path_factory.mktemp("seaweedfs"))
            _shared["server"] = _shared["context"].__enter__()
    _shared["users"] += 1
    yield _shared["server"]
    _shared["users"] -= 1
    if _shared["users"] == 0:
        _shared["context"].__exit__(None, None, None)


@pytest.fixture
def s3(seaweed, pinned_clock):
    """The shared SeaweedFS, with the real clock for the test's duration."""
    with real_time(pinned_clock):
        yield seaweed
