"""The multi-node rehearsal's client side: a small load balancer in the client and a browser that goes
through it (``loadtest.multinode``).

Each virtual user starts on a node of its own (round-robin). A request that cannot reach its node
(connection refused, reset, closed without an answer, timeout) marks the node down and goes to a node
``/healthz`` calls healthy, as a load balancer's passive and active checks would. Like nginx's
``proxy_next_upstream`` (non-idempotent requests are not passed on), a GET is sent again on the next
node, and a POST only when it was refused before it was sent (the node never saw it); a POST whose
answer was lost counts as an error with an unknown outcome (``unanswered``), which the checks afterwards
allow for. Every answered request is counted per node, and the answers the checks need (an upload's
job, a confirmation, a saved tally, a requested export) are kept as acknowledgements.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from collections import Counter
from urllib.parse import parse_qs

from .client import Browser, RequestFailed, Response

UNREACHABLE = (OSError, http.client.HTTPException)
IMPORT_JOB = re.compile(r"^/elections/(\d+)/voters/import/(\d+)/$")
EXPORT_JOB = re.compile(r"^/reports/exports/(\d+)/$")
TALLY = re.compile(r"^/elections/(\d+)/rounds/(\d+)/stations/(\d+)/tally/$")


class Balancer:
    """The nodes (loopback ports), which are up, and the figures per node."""

    def __init__(self, ports: list[int], *, t0: float):
        self.ports = list(ports)
        self.up = {port: True for port in ports}
        self.t0 = t0
        self.lock = threading.Lock()
        self.requests: Counter = Counter()  # port → answered requests
        self.failovers = 0
        self.marked_down: dict[int, float] = {}  # port → seconds into the run
        self.acks: dict[str, list] = {"uploads": [], "confirms": [], "tallies": [], "exports": []}
        self.unanswered: Counter = Counter()  # page → POSTs sent whose answer was lost
        self.kill_at: float | None = None
        self.inflight: dict = {}

    def healthy(self, port: int) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{port}"})
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except UNREACHABLE:
            return False

    def mark_down(self, port: int) -> None:
        with self.lock:
            if self.up.get(port):
                self.up[port] = False
                self.marked_down[port] = round(time.monotonic() - self.t0, 1)

    def next_node(self, after: int) -> int | None:
        """A healthy node other than ``after`` (checked with ``/healthz``), or None."""
        start = self.ports.index(after)
        for step in range(1, len(self.ports)):
            port = self.ports[(start + step) % len(self.ports)]
            if self.up.get(port) and self.healthy(port):
                return port
        return None

    def ack(self, kind: str, item) -> None:
        self.acks[kind].append(item)  # list.append is atomic


class FailoverBrowser(Browser):
    """A ``Browser`` whose node is chosen by the ``Balancer`` and changes when the node is lost."""

    def __init__(self, balancer: Balancer, port: int, recorder, *, timeout: float = 30.0):
        super().__init__("127.0.0.1", port, recorder, timeout=timeout)
        self.balancer = balancer

    def _switch(self, port: int) -> None:
        self.conn.close()
        self.port = port
        self.origin = f"https://{self.host}:{port}"
        self.conn = http.client.HTTPConnection(self.host, port, timeout=self.timeout)

    def _send(self, page, method, path, body, *, expect, headers) -> Response:
        for _attempt in range(len(self.balancer.ports) + 1):
            if not self.balancer.up.get(self.port):
                other = self.balancer.next_node(self.port)
                if other is not None:
                    self._switch(other)
            port = self.port
            try:
                response = self._once(page, method, path, body, expect=expect, headers=headers)
            except _Unreachable as lost:
                self.balancer.mark_down(port)
                other = self.balancer.next_node(port)
                retry = method == "GET" or lost.refused
                if other is None or not retry:
                    if method == "POST" and not lost.refused:
                        self.balancer.unanswered[page] += 1
                    self._record(page, method, 0, lost.started, lost.message)
                    raise RequestFailed(page) from None
                with self.balancer.lock:
                    self.balancer.failovers += 1
                self._switch(other)
                continue
            self.balancer.requests[port] += 1
            self._acknowledge(page, method, path, body, response)
            return response
        self._record(page, method, 0, time.perf_counter(), "no node left")
        raise RequestFailed(page)

    def _once(self, page, method, path, body, *, expect, headers) -> Response:
        """``Browser._send`` for one node; a node that cannot be reached raises ``_Unreachable``
        without recording a sample (the request goes to the next node or is recorded then)."""
        started = time.perf_counter()
        sent = {"Host": f"{self.host}:{self.port}", "X-Forwarded-Proto": "https",
                "User-Agent": "election-loadtest/1", "Accept-Language": "zh-CN,zh;q=0.9",
                "Referer": self.origin + self.referer, **headers}
        if method == "POST" and "Origin" in sent:
            sent["Origin"] = self.origin
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=sent)
        except UNREACHABLE as exc:
            self.conn.close()
            raise _Unreachable(started, exc, refused=True) from exc  # never reached the node
        try:
            raw = self.conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        except UNREACHABLE as exc:
            self.conn.close()
            # A request on a kept-alive connection the node had closed: nothing was read.
            refused = isinstance(exc, (ConnectionRefusedError, http.client.RemoteDisconnected)) and method == "GET"
            raise _Unreachable(started, exc, refused=refused) from exc
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

    def _acknowledge(self, page, method, path, body, response: Response) -> None:
        if method != "POST" or response.status != 302:
            return
        at = round(time.monotonic() - self.balancer.t0, 1)
        if page == "voters:import-upload POST" and (m := IMPORT_JOB.match(response.location)):
            self.balancer.ack("uploads", {"job": int(m.group(2)), "at": at, "port": self.port})
        elif page == "voters:import-confirm POST" and (m := IMPORT_JOB.match(path.removesuffix("confirm/"))):
            self.balancer.ack("confirms", {"job": int(m.group(2)), "at": at, "port": self.port})
        elif page == "ballots:tally-entry POST" and (m := TALLY.match(path)):
            fields = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            self.balancer.ack("tallies", {
                "round": int(m.group(2)), "station": int(m.group(3)), "version": int(fields.get("version", 0)),
                "numbers": {k: int(fields[k]) for k in ("issued", "returned", "valid", "invalid")},
                "at": at, "port": self.port})
        elif page.startswith("reports:report-export county") and (m := EXPORT_JOB.match(response.location)):
            self.balancer.ack("exports", {"export": int(m.group(1)), "at": at, "port": self.port})


class _Unreachable(Exception):
    def __init__(self, started: float, exc: BaseException, *, refused: bool):
        super().__init__(str(exc))
        self.started = started
        self.refused = refused
        self.message = f"{type(exc).__name__}: {exc}"[:200]
