"""Service requests (报事报修) with their status history and the allowed status transitions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime, utc_now


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    RETURNED = "returned"
    REOPENED = "reopened"


_S = RequestStatus
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    _S.SUBMITTED: frozenset({_S.ACCEPTED, _S.RETURNED}),
    _S.ACCEPTED: frozenset({_S.DISPATCHED, _S.IN_PROGRESS, _S.RETURNED}),
    _S.DISPATCHED: frozenset({_S.IN_PROGRESS, _S.RETURNED}),
    _S.IN_PROGRESS: frozenset({_S.RESOLVED, _S.RETURNED}),
    _S.RESOLVED: frozenset({_S.CLOSED, _S.REOPENED}),
    _S.CLOSED: frozenset({_S.REOPENED}),
    _S.RETURNED: frozenset({_S.CLOSED, _S.REOPENED}),
    _S.REOPENED: frozenset({_S.ACCEPTED, _S.DISPATCHED, _S.IN_PROGRESS}),
}


class ServiceRequest(Base):
    __tablename__ = "service_requests"

    tracking_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str | None] = mapped_column(String(32), index=True)
    resident_id: Mapped[str | None] = mapped_column(String(32), index=True)
    category: Mapped[str] = mapped_column(String(32))
    location: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.SUBMITTED.value, index=True)
    status_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ServiceRequestEvent(Base):
    """One status change of a request, oldest first by id."""

    __tablename__ = "service_request_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tracking_no: Mapped[str] = mapped_column(ForeignKey("service_requests.tracking_no"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(32), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
