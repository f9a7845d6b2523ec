"""Service requests seen from the office: list them and move them along the allowed transitions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind
from server.changes import record_change
from server.models import ServiceRequest, ServiceRequestEvent
from server.models.service_requests import TRANSITIONS, RequestStatus


class TransitionRefused(ValueError):
    """The request cannot go from its status to the one asked."""


def list_requests(session: Session, status: str | None = None) -> list[ServiceRequest]:
    query = select(ServiceRequest).order_by(ServiceRequest.created_at, ServiceRequest.tracking_no)
    if status:
        query = query.where(ServiceRequest.status == RequestStatus(status).value)
    return list(session.scalars(query))


def update_status(
    session: Session, tracking_no: str, status: str, *, note: str = "", actor: str = "", now: datetime
) -> ServiceRequest:
    """Move a request to ``status``, keep the event, and tell the kiosk that filed it.

    Raises LookupError (unknown tracking number), ValueError (unknown status) and
    TransitionRefused (not allowed from the current status).
    """
    new = RequestStatus(status)
    request = session.get(ServiceRequest, tracking_no, with_for_update=True)
    if request is None:
        raise LookupError(f"unknown request {tracking_no}")
    current = RequestStatus(request.status)
    if new not in TRANSITIONS[current]:
        raise TransitionRefused(f"{current.value} -> {new.value} is not allowed")
    request.status = new.value
    request.status_note = note
    request.updated_at = now
    session.add(ServiceRequestEvent(tracking_no=tracking_no, status=new.value, note=note, actor=actor, at=now))
    record_change(
        session, ChangeKind.REQUEST_STATUS, tracking_no,
        {"tracking_no": tracking_no, "status": new.value, "note": note, "updated_at": now.isoformat()},
        audience_kiosk_id=request.kiosk_id,
    )
    return request
