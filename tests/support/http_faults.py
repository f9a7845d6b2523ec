"""Misbehaving HTTP servers and a resetting proxy on real loopback sockets, for sync fault tests."""

from __future__ import annotations

import http.server
import json
import socket
import socketserver
import ssl
import struct
import threading
import time
from typing import Callable

MODES = ("stall", "trickle", "500", "429", "503", "malformed_json", "wrong_schema", "html", "ok_health")


class _QuietHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 5  # an idle keep-alive client cannot keep a handler thread (and stop()) waiting
    server: "_Http"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        owner = self.server.owner
        with owner._lock:
            owner.requests.append((self.command, self.path, body))
        owner._handle(self)

    do_GET = _serve
    do_POST = _serve


class _Http(http.server.ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True  # server_close() joins the handler threads
    owner: "MisbehavingServer"


class MisbehavingServer:
    """An HTTP server on 127.0.0.1 that answers every request in one bad way (``mode``).

    Modes: stall (read the request, never answer until stopped), trickle (send a 200 with a
    body one byte every ``trickle_interval_s``), 500, 429 / 503 (with ``Retry-After:
    retry_after`` unless it is None), malformed_json, wrong_schema (valid JSON, wrong fields),
    html (200 text/html). ``requests`` records (method, path, body) of what arrived.
    """

    def __init__(self, mode: str, *, retry_after: str | None = "2", trickle_interval_s: float = 0.2,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self.retry_after = retry_after
        self.trickle_interval_s = trickle_interval_s
        self.requests: list[tuple[str, str, bytes]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._http = _Http(("127.0.0.1", 0), _QuietHandler)
        self._http.owner = self
        self.port = self._http.server_address[1]
        scheme = "http"
        if ssl_context is not None:  # handshakes happen in accept(); a refused one is just dropped
            self._http.socket = ssl_context.wrap_socket(self._http.socket, server_side=True)
            scheme = "https"
        self.base_url = f"{scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"misbehaving-{mode}", daemon=True)

    def _send(self, h: _QuietHandler, status: int, body: bytes, ctype: str = "application/json",
              headers: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(body)
        h.close_connection = True

    def _handle(self, h: _QuietHandler) -> None:
        mode = self.mode
        if mode == "stall":
            self._stop.wait()
            h.close_connection = True
        elif mode == "trickle":
            body = b'{"status": "ok", "version": "x", "protocol": 1, "server_time": "2024-01-01T00:00:00Z"}'
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.flush()
            for i in range(len(body)):
                if self._stop.wait(self.trickle_interval_s):
                    break
                try:
                    h.wfile.write(body[i:i + 1])
                    h.wfile.flush()
                except OSError:
                    break
            h.close_connection = True
        elif mode == "500":
            self._send(h, 500, b'{"error": {"code": "server.error"}}')
        elif mode in ("429", "503"):
            headers = {"Retry-After": self.retry_after} if self.retry_after is not None else {}
            self._send(h, int(mode), b'{"error": {"code": "server.busy"}}', headers=headers)
        elif mode == "malformed_json":
            self._send(h, 200, b'{"results": [ {"key": ')
        elif mode == "wrong_schema":
            self._send(h, 200, json.dumps({"unexpected": True, "results": "nope"}).encode())
        elif mode == "html":
            self._send(h, 200, b"<html><body>Captive portal: please log in</body></html>", "text/html")
        elif mode == "ok_health":
            self._send(h, 200, b'{"status": "ok", "version": "x", "protocol": 1, "server_time": "2024-01-01T00:00:00Z"}')

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    def start(self) -> MisbehavingServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(5)

    def __enter__(self) -> MisbehavingServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _read_http_message(sock: socket.socket, buffer: bytes) -> tuple[bytes, bytes] | None:
    """One request (head + Content-Length body) from ``sock``; returns (message, leftover) or None at EOF."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        rest += chunk
    return head + b"\r\n\r\n" + rest[:length], rest[length:]


def _close_connection_header(message: bytes) -> bytes:
    head, _, body = message.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join(lines + [b"Connection: close"]) + b"\r\n\r\n" + body


class ResettingProxy:
    """Forwards each request to ``upstream`` (host, port), reads the WHOLE answer (the server has
    committed), then, when ``should_reset(n)`` is true for the n-th request (0-based), resets the
    client connection (SO_LINGER 0 -> RST) instead of answering. Default: reset the first ``resets``.
    """

    def __init__(self, upstream_base_url: str, *, resets: int = 3,
                 should_reset: Callable[[int], bool] | None = None) -> None:
        hostport = upstream_base_url.split("://", 1)[1].rstrip("/")
        host, _, port = hostport.partition(":")
        self.upstream = (host, int(port))
        self.should_reset = should_reset or (lambda n: n < resets)
        self.forwarded = 0
        self.reset_count = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = False
            block_on_close = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="resetting-proxy", daemon=True)

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(10)
        leftover = b""
        try:
            while True:
                got = _read_http_message(client, leftover)
                if got is None:
                    return
                request, leftover = got
                answer = self._forward(_close_connection_header(request))
                with self._lock:
                    n = self.forwarded
                    self.forwarded += 1
                    reset = self.should_reset(n)
                    if reset:
                        self.reset_count += 1
                if reset:
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    client.close()
                    return
                client.sendall(_close_connection_header(answer))
                return  # one answer per connection (Connection: close)
        except OSError:
            return

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(self.upstream, timeout=30) as up:
            up.sendall(request)
            chunks = []
            while True:
                chunk = up.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks)

    def start(self) -> ResettingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> ResettingProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_port() -> int:
    """A port nothing listens on right now (bound then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], bool], timeout_s: float = 10.0, interval_s: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval_s)
    return predicate()
