""""Call staff" (呼叫工作人员): help calls raised here and the open calls of nearby kiosks."""

from __future__ import annotations

import concurrent.futures
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.events import help_calls_did_change
from kiosk.protocol import Change, HelpCallData, HelpCallRecord, HelpCancelRecord, RecordKind
from kiosk.staff.models import HelpCallRow
from kiosk.storage.column_types import utc_now
from kiosk.storage.meta import get_meta
from kiosk.sync.outbox import enqueue
from kiosk.sync.state import COMMUNITY_ID, KIOSK_ID

log = logging.getLogger(__name__)

OPEN, CANCELLED, DONE = "open", "cancelled", "done"


@dataclass(frozen=True)
class HelpCall:
    """A call as staff views show it; ``local`` when raised at this kiosk (``kiosk_name`` may be "")."""

    call_id: str
    kiosk_name: str
    where: str
    at: datetime
    status: str
    kiosk_id: str = ""
    local: bool = False


def raise_call(session: Session, where: str, resident_id: str | None) -> str:
    """Raise a help call in the caller's write transaction (``db.write_async``); returns its id.

    Commits a local row and a ``help.call`` outbox record together. While this kiosk already
    has an open call, that call's id is returned and nothing new is queued.
    """
    existing = session.scalars(select(HelpCallRow).where(HelpCallRow.local.is_(True), HelpCallRow.status == OPEN)
                               .order_by(HelpCallRow.raised_at.desc()).limit(1)).first()
    if existing is not None:
        return existing.call_id
    call_id = uuid.uuid4().hex.upper()
    now = utc_now()
    record = HelpCallRecord(call_id=call_id, where=where[:64], resident_id=resident_id, raised_at=now)
    session.add(HelpCallRow(call_id=call_id, kiosk_id=get_meta(session, KIOSK_ID) or "", kiosk_name="",
                            where=record.where, raised_at=now, status=OPEN, local=True, updated_at=now))
    enqueue(session, RecordKind.HELP_CALL, record.model_dump(mode="json"))
    return call_id


def cancel_call(session: Session, call_id: str, by: str) -> None:
    """Close a call (this kiosk's or a nearby one's) in the caller's write transaction.

    ``by`` is "resident" (the call becomes cancelled) or "staff:<id>" (done: staff arrived).
    Queues a ``help.cancel`` record; a call already closed is left as it is. Raises LookupError
    for an unknown call and ValueError for a malformed ``by``.
    """
    row = session.get(HelpCallRow, call_id)
    if row is None:
        raise LookupError(f"no help call {call_id}")
    now = utc_now()
    try:
        record = HelpCancelRecord(call_id=call_id, by=by, at=now)
    except ValidationError:
        raise ValueError("by must be 'resident' or 'staff:<staff id>'") from None
    if row.status != OPEN:
        return
    row.status = CANCELLED if by == "resident" else DONE
    row.closed_at, row.closed_by, row.updated_at = now, by, now
    enqueue(session, RecordKind.HELP_CANCEL, record.model_dump(mode="json"), operator_id=_operator(by))


def _operator(by: str) -> str | None:
    return by.split(":", 1)[1] if by.startswith("staff:") else None


def open_calls(session: Session) -> list[HelpCall]:
    """Open calls of this kiosk and of the kiosks of its community (as last pulled), oldest first."""
    rows = session.scalars(select(HelpCallRow).where(HelpCallRow.status == OPEN).order_by(HelpCallRow.raised_at))
    return [HelpCall(r.call_id, r.kiosk_name, r.where, r.raised_at, r.status, r.kiosk_id, r.local) for r in rows]


def apply_help_call_change(session: Session, change: Change, as_of: datetime) -> None:
    """Pull handler for ChangeKind.HELP_CALL: store calls of this kiosk's community.

    The server is the truth, except that a call closed here stays closed while the news of
    its opening is still on the way (the cancel may still wait in the outbox).
    """
    try:
        data = HelpCallData.model_validate(change.data)
    except ValidationError:
        log.warning("help call change %s is malformed; skipped", change.seq)
        return
    community = get_meta(session, COMMUNITY_ID) or ""
    if community and data.community_id != community:
        return
    mine = data.kiosk_id == (get_meta(session, KIOSK_ID) or "")
    row = session.get(HelpCallRow, data.call_id)
    if row is None:
        session.add(HelpCallRow(call_id=data.call_id, kiosk_id=data.kiosk_id, kiosk_name=data.kiosk_name,
                                where=data.where, raised_at=data.raised_at, status=data.status, local=mine,
                                closed_at=data.closed_at, closed_by=data.closed_by, updated_at=utc_now()))
        return
    row.kiosk_id, row.kiosk_name = data.kiosk_id, data.kiosk_name
    if row.status != OPEN and data.status == OPEN:
        return
    row.status, row.closed_at, row.closed_by, row.updated_at = data.status, data.closed_at, data.closed_by, utc_now()


def notify(db) -> None:  # noqa: ANN001
    """Tell listeners (staff views) that help calls changed in ``db``; call after the commit."""
    help_calls_did_change.emit(db)


def _after_commit(runtime, inner: concurrent.futures.Future) -> concurrent.futures.Future:  # noqa: ANN001
    """A Future that completes like ``inner`` but only after the relay was woken and listeners told."""
    outer: concurrent.futures.Future = concurrent.futures.Future()

    def done(future: concurrent.futures.Future) -> None:
        if future.cancelled():
            outer.cancel()
            return
        if future.exception() is not None:
            outer.set_exception(future.exception())
            return
        try:
            if getattr(runtime, "sync", None) is not None:
                runtime.sync.relay.wake()  # send it now, not at the next pull interval
            notify(runtime.database)
        finally:
            outer.set_result(future.result())

    inner.add_done_callback(done)
    return outer


def raise_call_async(runtime, where: str, resident_id: str | None = None) -> concurrent.futures.Future:  # noqa: ANN001
    """Raise a call from the UI (safe on the Qt thread): commit, wake the relay, tell staff views.
    Returns a Future of the call id, done after all three (deliver it with ui.tasks.watch)."""
    return _after_commit(runtime, runtime.database.write_async(lambda s: raise_call(s, where, resident_id)))


def cancel_call_async(runtime, call_id: str, by: str) -> concurrent.futures.Future:  # noqa: ANN001
    """Cancel/close a call from the UI (safe on the Qt thread); a Future of None, or of the
    LookupError (unknown call) / ValueError (malformed ``by``)."""
    return _after_commit(runtime, runtime.database.write_async(lambda s: cancel_call(s, call_id, by)))
