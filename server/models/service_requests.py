"""Service requests (报事报修): status history, allowed transitions, SLA timers, media, ratings,
the category catalog and place map served to kiosks, and Open311 client keys."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
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
    # revision 0004_requests: what was filed, where from, SLA timers, rating, points, Open311 fields
    source: Mapped[str] = mapped_column(String(16), default="kiosk")  # kiosk | open311 | staff
    place_code: Mapped[str] = mapped_column(String(64), default="")
    phrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    receipt_code: Mapped[str] = mapped_column(String(16), default="")  # secret on the receipt's QR
    operator_id: Mapped[str | None] = mapped_column(String(32))  # staff who filed for the resident
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # when the server got it
    accept_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolve_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # last resolved/closed/returned
    callback_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    callback_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    callback_note: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_reason: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    points_awarded: Mapped[int] = mapped_column(Integer, default=0)
    points_reason: Mapped[str] = mapped_column(String(64), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    long: Mapped[float | None] = mapped_column(Float)
    media_url: Mapped[str | None] = mapped_column(Text)
    device_id: Mapped[str | None] = mapped_column(String(100))
    account_id: Mapped[str | None] = mapped_column(String(100))
    open311_client: Mapped[str | None] = mapped_column(String(32))


class ServiceRequestEvent(Base):
    """One status change of a request, oldest first by id."""

    __tablename__ = "service_request_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tracking_no: Mapped[str] = mapped_column(ForeignKey("service_requests.tracking_no"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(32), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ServiceRequestMedia(Base):
    """A photo / voice note of a request (or the handler's result photo); ``data`` is NULL until
    every chunk arrived and the sha256 matched."""

    __tablename__ = "service_request_media"
    __table_args__ = (UniqueConstraint("tracking_no", "sha256", name="uq_service_request_media_tracking_sha"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tracking_no: Mapped[str] = mapped_column(ForeignKey("service_requests.tracking_no"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # photo | voice | result
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[float | None] = mapped_column(Float)
    chunk_count: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    complete_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ServiceRequestMediaChunk(Base):
    """One received piece of a media file, deleted once the file is assembled."""

    __tablename__ = "service_request_media_chunks"

    media_id: Mapped[int] = mapped_column(ForeignKey("service_request_media.id"), primary_key=True)
    index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class RequestCategory(Base):
    """A request category served to kiosks (tiles) and Open311 clients (services)."""

    __tablename__ = "request_categories"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    zh: Mapped[str] = mapped_column(String(50))
    en: Mapped[str] = mapped_column(String(80))
    icon: Mapped[str] = mapped_column(String(64), default="")
    phrases: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{code, zh, en}]
    safety_hazard: Mapped[bool] = mapped_column(Boolean, default=False)
    agency: Mapped[str] = mapped_column(String(100), default="")
    sort: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class RequestPlace(Base):
    """The place map: communities > buildings > units > rooms, and public places of a community."""

    __tablename__ = "request_places"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # community | building | unit | room | public
    zh: Mapped[str] = mapped_column(String(100))
    en: Mapped[str] = mapped_column(String(100))
    sort: Mapped[int] = mapped_column(Integer, default=0)
    lat: Mapped[float | None] = mapped_column(Float)
    long: Mapped[float | None] = mapped_column(Float)


class Open311Client(Base):
    """An Open311 client allowed to file requests (only the sha256 of its api_key is kept)."""

    __tablename__ = "open311_clients"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
