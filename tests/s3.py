"""An S3-compatible endpoint on loopback for the object-storage tests: moto's server
(``python -m moto.server``, the test extra ``moto[s3]``), one process for the whole run, a new
bucket per test. Started by the ``s3_endpoint`` fixture of tests/conftest.py."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

HOST = "127.0.0.1"
START_SECONDS = 20


class Unavailable(Exception):
    """The endpoint cannot be started here; the message says why (the tests skip with it)."""


@dataclass
class Endpoint:
    url: str
    process: subprocess.Popen

    def env(self, bucket: str) -> dict[str, str]:
        """The environment that selects this endpoint's ``bucket`` as the media storage."""
        return {"MEDIA_STORAGE": "s3", "S3_ENDPOINT_URL": self.url, "S3_BUCKET": bucket,
                "S3_ACCESS_KEY": "test-access-key", "S3_SECRET_KEY": "test-secret-key"}

    def new_bucket(self) -> str:
        import boto3

        name = f"election-test-{secrets.token_hex(6)}"
        client = boto3.client("s3", endpoint_url=self.url, aws_access_key_id="test-access-key",
                              aws_secret_access_key="test-secret-key", region_name="us-east-1")
        client.create_bucket(Bucket=name)
        return name

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(log: Path) -> Endpoint:
    """Start moto's server on a free loopback port and wait until it answers."""
    if find_spec("moto") is None or find_spec("flask") is None:
        raise Unavailable("moto 的 S3 服务器没有安装（pip install -e '.[test]' 会装上 moto[s3]、flask、flask-cors）")
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Unavailable(f"moto 服务器启动后退出（{process.returncode}）：{log.read_text(errors='replace')[-500:]}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return Endpoint(url=f"http://{HOST}:{port}", process=process)
        except OSError:
            time.sleep(0.2)
    process.kill()
    process.wait()
    raise Unavailable(f"moto 服务器 {START_SECONDS} 秒内没有在 {HOST}:{port} 上应答：{log.read_text(errors='replace')[-500:]}")
