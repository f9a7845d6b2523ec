"""Outbox handlers of the help calls: ``help.call`` and ``help.cancel`` (imported by server.app)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from kiosk.protocol import HelpCallRecord, HelpCancelRecord, RecordKind
from server.handlers import Rejected, RecordContext, registry
from server.models import Kiosk
from server.ops.help_calls import close_call, open_call
from server.ops.models import HelpCall


@registry.register(RecordKind.HELP_CALL.value)
def help_call(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    try:
        record = HelpCallRecord.model_validate(payload)
    except ValidationError:
        raise Rejected("help.malformed") from None
    call = open_call(session, call_id=record.call_id, kiosk_id=ctx.kiosk_id, where=record.where,
                     resident_id=record.resident_id, raised_at=record.raised_at)
    if call.kiosk_id != ctx.kiosk_id:
        raise Rejected("help.not_yours")
    return {"call_id": call.call_id, "status": call.status}


@registry.register(RecordKind.HELP_CANCEL.value)
def help_cancel(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Any kiosk of the call's community may close it (staff there went to help)."""
    try:
        record = HelpCancelRecord.model_validate(payload)
    except ValidationError:
        raise Rejected("help.malformed") from None
    call = session.get(HelpCall, record.call_id)
    kiosk = session.get(Kiosk, ctx.kiosk_id)
    if call is None:
        raise Rejected("help.unknown_call", 404)
    if kiosk is None or kiosk.community_id != call.community_id:
        raise Rejected("help.other_community", 403)
    call = close_call(session, record.call_id, by=record.by, at=record.at)
    return {"call_id": call.call_id, "status": call.status}
