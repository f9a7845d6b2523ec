"""Apply a pushed outbox batch in order, each record once, stopping at the first RETRY."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable

from sqlalchemy.orm import Session, sessionmaker

from kiosk.protocol import ErrorBody, OutboxRecord, Outcome, RecordResult
from server.handlers import HandlerRegistry, Rejected, RecordContext, registry as default_registry
from server.idempotent import apply_once, request_hash

log = logging.getLogger(__name__)


def push_records(
    factory: sessionmaker,
    kiosk_id: str,
    records: list[OutboxRecord],
    *,
    now: Callable[[], datetime],
    registry: HandlerRegistry | None = None,
) -> list[RecordResult]:
    """Results for a prefix of ``records``, in order: each applied in its own transaction.

    An unknown kind is REJECTED 422 ``sync.unknown_kind`` (stored); an unexpected handler error
    rolls back and answers RETRY 503 ``sync.transient`` (not stored), ending the batch there, as
    does a key in flight elsewhere (RETRY 409). Runs on a server worker thread.
    """
    handlers = registry or default_registry
    results: list[RecordResult] = []
    for record in records:
        ctx = RecordContext(kiosk_id=kiosk_id, key=record.key, created_at=record.created_at,
                            operator_id=record.operator_id)

        def apply(session: Session, record: OutboxRecord = record, ctx: RecordContext = ctx) -> dict[str, Any]:
            handler = handlers.get(record.kind)
            if handler is None:
                raise Rejected("sync.unknown_kind", kind=record.kind)
            return handler(session, ctx, dict(record.payload))

        try:
            answer = apply_once(
                factory, key=record.key, kiosk_id=kiosk_id, kind=record.kind,
                payload_hash=request_hash(record.kind, record.payload, record.operator_id),
                apply=apply, now=now,
            )
        except Exception as exc:  # noqa: BLE001 - any failure is transient for the kiosk: it retries
            log.warning("record %s of kind %s failed: %s; batch stopped", record.key, record.kind,
                        type(exc).__name__, exc_info=exc)
            results.append(RecordResult(key=record.key, outcome=Outcome.RETRY, status_code=503,
                                        error=ErrorBody(code="sync.transient")))
            break
        results.append(RecordResult(key=record.key, outcome=answer.outcome, status_code=answer.status_code,
                                    result=answer.result, error=answer.error))
        if answer.outcome is Outcome.RETRY:
            break
    return results
