"""Help calls: raised and cancelled from kiosks (outbox records), shown to every kiosk of the community."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind, HelpCallData
from server.changes import record_change
from server.models import Kiosk
from server.ops.models import HelpCall

OPEN, CANCELLED, DONE = "open", "cancelled", "done"
_BY = re.compile(r"resident|staff:[A-Z0-9-]{1,32}")


def call_data(session: Session, call: HelpCall) -> dict:
    kiosk = session.get(Kiosk, call.kiosk_id)
    return HelpCallData(
        call_id=call.call_id, kiosk_id=call.kiosk_id, kiosk_name=kiosk.name if kiosk else "",
        community_id=call.community_id, where=call.where, raised_at=call.raised_at, status=call.status,
        closed_at=call.closed_at, closed_by=call.closed_by,
    ).model_dump(mode="json")


def publish_call(session: Session, call: HelpCall) -> int:
    """A HELP_CALL change for each active kiosk of the call's community; returns how many."""
    data = call_data(session, call)
    kiosks = session.scalars(select(Kiosk.id).where(Kiosk.community_id == call.community_id,
                                                    Kiosk.revoked_at.is_(None)).order_by(Kiosk.id)).all()
    for kiosk_id in kiosks:
        record_change(session, ChangeKind.HELP_CALL, call.call_id, data, audience_kiosk_id=kiosk_id)
    return len(kiosks)


def open_call(session: Session, *, call_id: str, kiosk_id: str, where: str, resident_id: str | None,
              raised_at: datetime) -> HelpCall:
    """Record a call raised at ``kiosk_id`` (once per call id) and publish it to the community."""
    existing = session.get(HelpCall, call_id)
    if existing is not None:
        return existing
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise LookupError(f"unknown kiosk {kiosk_id}")
    call = HelpCall(call_id=call_id, kiosk_id=kiosk_id, community_id=kiosk.community_id, where=where,
                    resident_id=resident_id, raised_at=raised_at, status=OPEN)
    session.add(call)
    session.flush()
    publish_call(session, call)
    return call


def close_call(session: Session, call_id: str, *, by: str, at: datetime) -> HelpCall:
    """Close an open call: "resident" cancels it, "staff:<id>" marks it done; a closed call stays
    as it was. LookupError for an unknown call, ValueError for a malformed ``by``."""
    if not _BY.fullmatch(by):
        raise ValueError("by must be 'resident' or 'staff:<staff id>'")
    call = session.get(HelpCall, call_id.strip().upper(), with_for_update=True)
    if call is None:
        raise LookupError(f"unknown help call {call_id}")
    if call.status == OPEN:
        call.status = CANCELLED if by == "resident" else DONE
        call.closed_at, call.closed_by = at, by
        session.flush()
        publish_call(session, call)
    return call


def list_calls(session: Session, *, status: str | None = OPEN, community_id: str | None = None) -> list[HelpCall]:
    """Calls (open ones by default), oldest first."""
    query = select(HelpCall).order_by(HelpCall.raised_at, HelpCall.call_id)
    if status:
        query = query.where(HelpCall.status == status)
    if community_id:
        query = query.where(HelpCall.community_id == community_id)
    return list(session.scalars(query))
