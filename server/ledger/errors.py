"""The ledger's refusal: a message key with params, which the push endpoint answers as REJECTED."""

from __future__ import annotations

from typing import Any

from server.handlers import Rejected


class LedgerError(Rejected):
    """A ledger operation refused for good (``code`` like ``points.insufficient``); nothing was written.

    Subclasses :class:`server.handlers.Rejected`, so a handler may let it propagate: the kiosk
    dead-letters the record. ``status_code`` is 422 unless the refusal is about permission (403).
    """

    def __init__(self, code: str, status_code: int = 422, **params: Any) -> None:
        super().__init__(code, status_code, **params)
