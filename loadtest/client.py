"""A virtual user's browser, on the standard library: one connection, its own cookies, CSRF, timing.

The app runs as in production behind a TLS proxy (``DEBUG=false``): every request carries
``X-Forwarded-Proto: https``, so Django applies its HTTPS rules (strict Referer check on POST, secure
cookies). The cookies are marked ``Secure``, which a cookie jar would not send back over the loopback's
plain HTTP; this client keeps them itself. Redirects are not followed: each request is one sample.
"""

from __future__ import annotations

import http.client
import mimetypes
import time
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


class RequestFailed(Exception):
    """A request that counts as an error (already recorded): the virtual user starts its next round."""


@dataclass(frozen=True)
class Sample:
    page: str
    method: str
    status: int  # 0: no response (connection error, timeout)
    ms: float
    started: float  # seconds since the run began
    error: str = ""  # empty: not an error


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("Location", "")).path or ""


class Recorder:
    """Every sample of the run; list.append is atomic, so the threads share one list."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.samples: list[Sample] = []
        self.outcomes: dict[str, int] = {}  # counted events that are not errors (a lost tally race…)
        self.jobs: list[float] = []  # seconds from export request to file ready
        self.failures: list[tuple[str, str]] = []  # a 200 whose content was wrong: (page, what)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)

    def add_error(self, page: str, message: str) -> None:
        """An error found in a response already recorded with its expected status."""
        self.failures.append((page, message))

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1  # racy by one at worst; informative only


class Browser:
    def __init__(self, host: str, port: int, recorder: Recorder, *, timeout: float = 30.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.recorder = recorder
        self.origin = f"https://{host}:{port}"
        self.cookies: dict[str, str] = {}
        self.referer = "/"
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def get(self, page: str, path: str, *, expect=(200,), headers: dict | None = None) -> Response:
        return self._send(page, "GET", path, None, expect=expect, headers=headers or {})

    def post(self, page: str, path: str, fields: dict, *, files: dict | None = None, expect=(302,)) -> Response:
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        headers = {"Content-Type": content_type, "Origin": self.origin}
        return self._send(page, "POST", path, body, expect=expect, headers=headers)

    def _send(self, page, method, path, body, *, expect, headers) -> Response:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "election-loadtest/1",
            "Accept-Language": "zh-CN,zh;q=0.9",
            "Referer": self.origin + self.referer,
            **headers,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            raw = self.conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()  # reconnects on the next request
            self._record(page, method, 0, started, f"{type(exc).__name__}: {exc}"[:200])
            raise RequestFailed(page) from exc
        self._keep_cookies(response)
        error = ""
        if response.status not in expect:
            error = f"HTTP {response.status} (expected {'/'.join(map(str, expect))}) {path}"
            if response.status in (301, 302):
                error += f" → {response.location}"
        self._record(page, method, response.status, started, error)
        if error:
            raise RequestFailed(page)
        if method == "GET" and response.headers.get_content_type() == "text/html":
            self.referer = path
        return response

    def _record(self, page, method, status, started, error) -> None:
        now = time.perf_counter()
        self.recorder.add(Sample(page, method, status, (now - started) * 1000, started - self.recorder.t0, error))

    def _keep_cookies(self, response: Response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def close(self) -> None:
        self.conn.close()


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """``files``: field name → (filename, bytes)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
