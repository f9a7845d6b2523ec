"""Service requests seen from the office: list them, move them along the allowed transitions with a
note and a result photo, record the call-back, and issue Open311 client keys."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models import ServiceRequest
from server.models.service_requests import TRANSITIONS, Open311Client, RequestStatus
from server.requests import media, workflow
from server.requests.workflow import TransitionRefused, overdue_flags

__all__ = ["TransitionRefused", "create_open311_client", "list_requests", "overdue_flags", "update_status"]


def list_requests(session: Session, status: str | None = None, *, overdue_only: bool = False,
                  now: datetime | None = None) -> list[ServiceRequest]:
    """Requests oldest first, optionally of one status and/or only those with an overdue flag at ``now``."""
    query = select(ServiceRequest).order_by(ServiceRequest.created_at, ServiceRequest.tracking_no)
    if status:
        query = query.where(ServiceRequest.status == RequestStatus(status).value)
    rows = list(session.scalars(query))
    if overdue_only:
        if now is None:
            raise ValueError("overdue_only needs now")
        rows = [r for r in rows if overdue_flags(r, now)]
    return rows


def update_status(
    session: Session, tracking_no: str, status: str, *, note: str = "", actor: str = "", now: datetime,
    photo: bytes | None = None, operator_id: str | None = None,
) -> ServiceRequest:
    """Move a request to ``status`` with a note (and the handler's result photo), keep the event,
    and tell the kiosk that filed it and the resident's community kiosks.

    Raises LookupError (unknown tracking number), ValueError (unknown status, unreadable photo) and
    TransitionRefused (not allowed from the current status); nothing is stored then.
    """
    new = RequestStatus(status)
    request = workflow.get_request(session, tracking_no, lock=True)
    current = RequestStatus(request.status)
    if new not in TRANSITIONS[current]:
        raise TransitionRefused(f"{current.value} -> {new.value} is not allowed")
    prepared = media.normalise_photo(photo) if photo is not None else None  # before anything is written
    # Row locks (the request, ledger accounts for hazard points) before the changes feed's lock.
    request = workflow.transition(session, tracking_no, new.value, note=note, actor=actor, now=now,
                                  operator_id=operator_id, publish_now=False)
    if prepared is not None:
        media.add_result_photo(session, request, prepared, now, workflow.audiences(session, request))
    workflow.publish(session, request, now)
    return request


def record_callback(session: Session, tracking_no: str, note: str, *, now: datetime) -> ServiceRequest:
    return workflow.record_callback(session, tracking_no, note, now=now)


def create_open311_client(session: Session, name: str, *, now: datetime) -> tuple[str, str]:
    """A new Open311 client; returns (client id, api_key). Only the key's sha256 is stored."""
    count = session.scalar(select(func.count()).select_from(Open311Client)) or 0
    client_id = f"O311-{count + 1:04d}"
    key = secrets.token_urlsafe(24)
    session.add(Open311Client(id=client_id, name=name, key_hash=hashlib.sha256(key.encode()).hexdigest(),
                              created_at=now))
    session.flush()
    return client_id, key
