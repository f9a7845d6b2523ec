"""Kiosk tables of requests: filed (or pulled) requests, their media, and their outbox records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.storage.column_types import UtcDateTime, utc_now
from kiosk.storage.models import Base


class FiledRequest(Base):
    """A request filed here (``origin`` local) or learnt from the changes feed (remote).

    The server's view (status, events, notes, rating, points, reopen window) is overwritten by
    every pulled snapshot; what the resident filed stays as filed. ``(kiosk_code, local_day,
    day_seq)`` is unique: the tracking number is unique per kiosk without the server.
    """

    __tablename__ = "requests"
    __table_args__ = (UniqueConstraint("kiosk_code", "local_day", "day_seq", name="uq_requests_kiosk_day_seq"),)

    tracking_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    origin: Mapped[str] = mapped_column(String(8), default="local")
    kiosk_code: Mapped[str | None] = mapped_column(String(16))
    local_day: Mapped[str | None] = mapped_column(String(6))
    day_seq: Mapped[int | None] = mapped_column(Integer)
    resident_id: Mapped[str | None] = mapped_column(String(64), index=True)
    operator_id: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32))
    place_code: Mapped[str] = mapped_column(String(64), default="")
    place_text: Mapped[str] = mapped_column(Text, default="")
    phrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    receipt_code: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    status_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    events: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    handler_note: Mapped[str] = mapped_column(Text, default="")
    result_photo_sha: Mapped[str | None] = mapped_column(String(64))
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_reason: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reopen_requested_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    points_awarded: Mapped[int] = mapped_column(Integer, default=0)
    points_reason: Mapped[str] = mapped_column(String(64), default="")
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reopen_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    server_seen: Mapped[bool] = mapped_column(Boolean, default=False)


class RequestMedia(Base):
    """A photo or voice note filed with a request, or the handler's result photo (pulled)."""

    __tablename__ = "request_media"
    __table_args__ = (UniqueConstraint("tracking_no", "sha256", name="uq_request_media_tracking_sha"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_no: Mapped[str] = mapped_column(String(32), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # photo | voice | result
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[float | None] = mapped_column(Float)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class RequestOutboxLink(Base):
    """An outbox record sent for a request (file, media piece, rate, reopen): shows pending sync."""

    __tablename__ = "request_outbox"

    outbox_key: Mapped[str] = mapped_column(String(36), primary_key=True)
    tracking_no: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(32))
