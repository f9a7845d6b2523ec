"""Registry of outbox record handlers: the server applies each pushed record through one of these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable
from uuid import UUID

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class RecordContext:
    """Who sent the record and when it was made on the kiosk."""

    kiosk_id: str
    key: UUID
    created_at: datetime
    operator_id: str | None = None


class Rejected(Exception):
    """A record that can never succeed as sent: the kiosk dead-letters it (never retried).

    ``code`` is a message key ("points.insufficient"); ``status_code`` a 4xx (default 422).
    """

    def __init__(self, code: str, status_code: int = 422, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.status_code = status_code
        self.params = params


Handler = Callable[[Session, RecordContext, dict[str, Any]], dict[str, Any]]


@dataclass
class HandlerRegistry:
    handlers: dict[str, Handler] = field(default_factory=dict)

    def register(self, kind: str) -> Callable[[Handler], Handler]:
        """Decorator: ``fn(session, ctx, payload) -> result dict`` applies one record of ``kind``.

        Runs inside the push transaction (the idempotency row commits with it); raises
        :class:`Rejected` for a permanent refusal; any other exception rolls back and the
        record is answered RETRY.
        """

        def decorate(fn: Handler) -> Handler:
            if kind in self.handlers:
                raise ValueError(f"handler for {kind!r} registered twice")
            self.handlers[kind] = fn
            return fn

        return decorate

    def get(self, kind: str) -> Handler | None:
        return self.handlers.get(kind)


registry = HandlerRegistry()
