"""Typed sync failures, each with a message key the UI translates (never a sentence)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_

OFFLINE = N_("sync.offline")
TIMEOUT = N_("sync.timeout")
TLS_FAILED = N_("sync.tls_failed")
SERVER_BUSY = N_("sync.server_busy")
SERVER_FAULT = N_("sync.server_fault")
REFUSED = N_("sync.refused")
BAD_REQUEST = N_("sync.bad_request")
NOT_ENROLLED = N_("sync.not_enrolled")
# Server codes the kiosk shows as they are (declared so the catalogues carry them).
AUTH_UNKNOWN_KIOSK = N_("auth.unknown_kiosk")
AUTH_REVOKED = N_("auth.revoked")
ENROLL_BAD_CODE = N_("enroll.bad_code")
KEY_REUSED = N_("sync.key_reused")  # dead letter: same key, different payload
UNKNOWN_KIND = N_("sync.unknown_kind")  # dead letter: the server does not know the record kind
TRANSIENT = N_("sync.transient")  # the server will take the record on a later try


class SyncError(Exception):
    """Base of every transport/sync failure: ``key`` is a message key, ``params`` its values."""

    default_key = SERVER_FAULT

    def __init__(self, detail: str = "", *, key: str | None = None, **params: Any) -> None:
        self.key = key or self.default_key
        self.params = params
        self.detail = detail
        super().__init__(f"{self.key}: {detail}" if detail else self.key)


class Offline(SyncError):
    """The server could not be reached or the connection broke (connect error, timeout, reset)."""

    default_key = OFFLINE


class TlsFailure(Offline):
    """TLS verification failed (wrong CA bundle or certificate); retried like Offline."""

    default_key = TLS_FAILED


class ServerBusy(SyncError):
    """429 or 503: try again after ``retry_after_s`` seconds (None when the server gave none)."""

    default_key = SERVER_BUSY

    def __init__(self, detail: str = "", *, retry_after_s: float | None = None, **kw: Any) -> None:
        super().__init__(detail, **kw)
        self.retry_after_s = retry_after_s


class ServerFault(SyncError):
    """5xx, malformed JSON, or a body that does not match the protocol model."""

    default_key = SERVER_FAULT


class Refused(SyncError):
    """401/403: ``key`` is the server's ErrorBody code (auth.unknown_kiosk, auth.revoked)."""

    default_key = REFUSED

    def __init__(self, detail: str = "", *, status: int, key: str | None = None, **params: Any) -> None:
        super().__init__(detail, key=key, **params)
        self.status = status
        self.code = self.key


class BadRequest(SyncError):
    """Another 4xx: the request itself is wrong and resending it unchanged will not help."""

    default_key = BAD_REQUEST

    def __init__(self, detail: str = "", *, status: int, key: str | None = None, **params: Any) -> None:
        super().__init__(detail, key=key, **params)
        self.status = status


class NotEnrolled(SyncError):
    """The kiosk has no credentials yet: enroll it with a one-time code first."""

    default_key = NOT_ENROLLED
