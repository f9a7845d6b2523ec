"""Sync tables of the kiosk: the outbox and the caches the changes feed fills."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.storage.column_types import UtcDateTime, utc_now
from kiosk.storage.models import Base

PENDING = "pending"
DELIVERED = "delivered"
DEAD = "dead"


class OutboxRow(Base):
    """One resident action waiting for (or done with) delivery; ``key`` never changes."""

    __tablename__ = "outbox"
    __table_args__ = {"sqlite_autoincrement": True}  # seq is never reused: it is the send order

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    operator_id: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(64))
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class TrustedKey(Base):
    """A public key from the PUBLIC_KEY changes (data as pulled: kid, public_key, not_after)."""

    __tablename__ = "trusted_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class RevokedToken(Base):
    """A token id on the deny-list."""

    __tablename__ = "revoked_tokens"

    token_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    revoked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class BalanceCache(Base):
    """A resident's balance as the server last reported it (display only, never spent from)."""

    __tablename__ = "balances"

    resident_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    balance: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SettingCache(Base):
    """One kiosk setting pushed by the server (KIOSK_CONFIG)."""

    __tablename__ = "server_settings"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ResidentEntry(Base):
    """The resident directory: masked name only, never a phone number."""

    __tablename__ = "residents"

    resident_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    masked_name: Mapped[str] = mapped_column(Text)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    family_id: Mapped[str | None] = mapped_column(String(64), index=True)
    community_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ServerCache(Base):
    """Other pulled data (menus, request statuses) kept as JSON for later features."""

    __tablename__ = "server_cache"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
