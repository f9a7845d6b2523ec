"""HTTP client of the community server: verified TLS, timeouts and a deadline on every call."""

from __future__ import annotations

import email.utils
import json
import logging
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar

import requests
import urllib3
from pydantic import BaseModel, ValidationError

from kiosk import __version__
from kiosk.protocol import (
    API_PREFIX,
    ChangesResponse,
    EnrollRequest,
    EnrollResponse,
    ErrorResponse,
    HealthResponse,
    OutboxRecord,
    PushRequest,
    PushResponse,
    ReserveGrant,
    ReserveRequest,
    auth_header,
)
from kiosk.sync.errors import (
    TIMEOUT,
    BadRequest,
    NotEnrolled,
    Offline,
    Refused,
    ServerBusy,
    ServerFault,
    TlsFailure,
)

M = TypeVar("M", bound=BaseModel)
log = logging.getLogger(__name__)

MAX_BODY_BYTES = 32 * 1024 * 1024
_CHUNK_BYTES = 64 * 1024


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


class ServerClient:
    """One community server; every method blocks, so call it from a worker, never the Qt thread.

    Each thread gets its own ``requests.Session`` (sessions are not thread-safe) with
    ``trust_env = False`` (REQUESTS_CA_BUNDLE and proxies from the environment are ignored) and
    ``verify = ca_bundle or True``. Every call has a ``(connect, read)`` timeout and an overall
    ``deadline_s`` enforced while the body streams in. Nothing is retried here: POSTs are
    retried by the outbox with the same idempotency key.

    Methods raise :class:`Offline` (connect error, timeout, reset; :class:`TlsFailure` when
    verification fails), :class:`ServerBusy` (429/503), :class:`ServerFault` (5xx, malformed
    or wrong-schema body), :class:`Refused` (401/403) or :class:`BadRequest` (other 4xx).
    """

    def __init__(
        self,
        base_url: str,
        *,
        credentials: tuple[str, str] | None = None,
        ca_bundle: str | None = None,
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 15.0,
        deadline_s: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.ca_bundle = ca_bundle or None
        self.connect_timeout_s = connect_timeout_s
        self.read_timeout_s = read_timeout_s
        self.deadline_s = deadline_s
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._closed = False

    # --- API -----------------------------------------------------------------------------------

    def health(self) -> HealthResponse:
        """GET /health (no authentication)."""
        return self.call("GET", "/health", HealthResponse, auth=False)

    def enroll(self, code: str, kiosk_name: str, install_id: str) -> EnrollResponse:
        """POST /enroll with a one-time code; a bad code raises Refused with the server's key."""
        body = EnrollRequest(code=code, kiosk_name=kiosk_name, install_id=install_id, version=__version__)
        return self.call("POST", "/enroll", EnrollResponse, body=body, auth=False)

    def push(self, records: Sequence[OutboxRecord]) -> PushResponse:
        """POST /sync/push: results for a prefix of ``records``, in order."""
        return self.call("POST", "/sync/push", PushResponse, body=PushRequest(records=list(records)))

    def changes(self, cursor: int, limit: int) -> ChangesResponse:
        """GET /sync/changes after ``cursor`` (at most ``limit`` changes)."""
        return self.call("GET", "/sync/changes", ChangesResponse, params={"cursor": cursor, "limit": limit})

    def reserve(self, request: ReserveRequest) -> ReserveGrant:
        """POST /reserves: move points of a resident to this kiosk (online only)."""
        return self.call("POST", "/reserves", ReserveGrant, body=request)

    def close(self) -> None:
        """Close every thread's session; later calls raise Offline."""
        with self._lock:
            self._closed = True
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def call(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        body: BaseModel | None = None,
        params: dict[str, Any] | None = None,
        auth: bool = True,
    ) -> M:
        """``method`` ``path`` (under /api/v1) with the client's timeouts, deadline, credentials
        and error mapping; the answer parsed as ``model``. The feature modules' online calls
        (canteen, look-up, public request status, heartbeat) use it. Raises the SyncError
        subclasses: Offline, TlsFailure, NotEnrolled, Refused, BadRequest, ..."""
        headers = {"Accept": "application/json"}
        if auth:
            if self.credentials is None:
                raise NotEnrolled()
            headers.update(auth_header(*self.credentials))
        data = None
        if body is not None:
            data = body.model_dump_json().encode("utf-8")
            headers["Content-Type"] = "application/json"
        started = time.monotonic()
        deadline = started + self.deadline_s
        url = f"{self.base_url}{API_PREFIX}{path}"
        try:
            response = self._session().request(
                method, url, data=data, params=params, headers=headers, stream=True,
                allow_redirects=False,
                timeout=(self.connect_timeout_s, min(self.read_timeout_s, self.deadline_s)),
            )
        except requests.exceptions.SSLError as exc:
            raise TlsFailure(type(exc).__name__) from None
        except requests.exceptions.Timeout as exc:
            raise Offline(type(exc).__name__, key=TIMEOUT) from None
        except (requests.exceptions.RequestException, OSError) as exc:
            raise Offline(type(exc).__name__) from None
        try:
            raw = self._read_body(response, deadline)
        finally:
            response.close()
        log.debug("%s %s -> %d in %.3f s", method, path, response.status_code, time.monotonic() - started)
        return self._decode(response, raw, model)

    # --- plumbing ------------------------------------------------------------------------------

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise override verify
            session.verify = self.ca_bundle or True
            session.headers["User-Agent"] = f"community-kiosk/{__version__}"
            with self._lock:
                if self._closed:
                    raise Offline("client closed")
                self._sessions.append(session)
            self._local.session = session
        return session

    def _read_body(self, response: requests.Response, deadline: float) -> bytes:
        """Stream the body, re-arming the socket timeout so the whole read ends by ``deadline``."""
        chunks: list[bytes] = []
        size = 0
        raw = response.raw
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise Offline("deadline passed while reading the body", key=TIMEOUT)
                sock = getattr(getattr(raw, "connection", None), "sock", None)
                if sock is not None:
                    sock.settimeout(max(0.01, min(self.read_timeout_s, remaining)))
                chunk = raw.read1(_CHUNK_BYTES, decode_content=True)
                if not chunk:  # end of body
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise ServerFault("response body too large")
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
            raise Offline(type(exc).__name__, key=TIMEOUT) from None
        except (urllib3.exceptions.HTTPError, requests.exceptions.RequestException, OSError) as exc:
            raise Offline(type(exc).__name__) from None
        return b"".join(chunks)

    def _decode(self, response: requests.Response, raw: bytes, model: type[M]) -> M:
        status = response.status_code
        if 200 <= status < 300:
            try:
                return model.model_validate(json.loads(raw))
            except (ValueError, ValidationError) as exc:  # JSONDecodeError is a ValueError
                raise ServerFault(f"{status} body does not match {model.__name__}: {type(exc).__name__}") from None
        code = _error_code(raw)
        if status in (429, 503):
            raise ServerBusy(f"HTTP {status}", retry_after_s=parse_retry_after(response.headers.get("Retry-After")))
        if status in (401, 403):
            raise Refused(f"HTTP {status}", status=status, key=code)
        if 400 <= status < 500:
            raise BadRequest(f"HTTP {status}", status=status, key=code)
        raise ServerFault(f"HTTP {status}")


def _error_code(raw: bytes) -> str | None:
    """The ErrorBody code of an error answer, or None when the body is not an ErrorResponse."""
    try:
        return ErrorResponse.model_validate(json.loads(raw)).error.code
    except (ValueError, ValidationError):
        return None
