"""Stored answers of idempotent requests (outbox pushes and reserves), kept at least 90 days."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime, utc_now


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    key: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(64))
    payload_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of the canonical request
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"result": ...} or {"error": ErrorBody}
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
