"""Apply a pushed outbox batch in order, each record once, stopping at the first RETRY."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable

from sqlalchemy.orm import Session, sessionmaker

from kiosk.protocol import ErrorBody, OutboxRecord, Outcome, RecordResult
from server.handlers import HandlerRegistry, Rejected, RecordContext, registry as default_registry
from server.idempotent import Keyed, apply_batch, request_hash

log = logging.getLogger(__name__)

# Records per transaction on PostgreSQL: one fsync per chunk instead of per record, while row
# locks (balances) stay short enough for many kiosks pushing at once. SQLite has one writer
# anyway (BEGIN IMMEDIATE): a whole push request is one transaction there.
CHUNK = 50


def push_records(
    factory: sessionmaker,
    kiosk_id: str,
    records: list[OutboxRecord],
    *,
    now: Callable[[], datetime],
    registry: HandlerRegistry | None = None,
) -> list[RecordResult]:
    """Results for a prefix of ``records``, in order; chunks commit together (CHUNK records on
    PostgreSQL, the whole request on SQLite).

    An unknown kind is REJECTED 422 ``sync.unknown_kind`` (stored); an unexpected handler error
    rolls back and answers RETRY 503 ``sync.transient`` (not stored), ending the batch there, as
    does a key in flight elsewhere (RETRY 409). Runs on a server worker thread.
    """
    handlers = registry or default_registry
    results: list[RecordResult] = []
    pending = list(records)
    size = CHUNK if _dialect(factory) == "postgresql" else max(1, len(pending))
    while pending:
        chunk, pending = pending[:size], pending[size:]
        items = [Keyed(key=r.key, kind=r.kind, payload_hash=request_hash(r.kind, r.payload, r.operator_id),
                       apply=_applier(handlers, kiosk_id, r)) for r in chunk]
        try:
            answers = apply_batch(factory, items, kiosk_id=kiosk_id, now=now, on_error=_log_failure)
        except Exception as exc:  # noqa: BLE001 - the database itself failed: the kiosk retries it all
            log.warning("push chunk failed: %s", type(exc).__name__, exc_info=exc)
            answers = []
        for record, answer in zip(chunk, answers):
            results.append(RecordResult(key=record.key, outcome=answer.outcome, status_code=answer.status_code,
                                        result=answer.result, error=answer.error))
        if len(answers) < len(chunk) or (answers and answers[-1].outcome is Outcome.RETRY):
            if not answers:
                results.append(RecordResult(key=chunk[0].key, outcome=Outcome.RETRY, status_code=503,
                                            error=ErrorBody(code="sync.transient")))
            break
    return results


def _dialect(factory: sessionmaker) -> str:
    bind = factory.kw.get("bind")
    return bind.dialect.name if bind is not None else ""


def _applier(handlers: HandlerRegistry, kiosk_id: str, record: OutboxRecord) -> Callable[[Session], dict[str, Any]]:
    ctx = RecordContext(kiosk_id=kiosk_id, key=record.key, created_at=record.created_at,
                        operator_id=record.operator_id)

    def apply(session: Session) -> dict[str, Any]:
        handler = handlers.get(record.kind)
        if handler is None:
            raise Rejected("sync.unknown_kind", kind=record.kind)
        return handler(session, ctx, dict(record.payload))

    return apply


def _log_failure(item: Keyed, exc: BaseException) -> None:
    log.warning("record %s of kind %s failed: %s; batch stopped", item.key, item.kind, type(exc).__name__,
                exc_info=exc)
