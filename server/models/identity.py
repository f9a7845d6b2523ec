"""Token signing keys, issued identity tokens and the revocation deny-list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime, utc_now


class SigningKey(Base):
    """An Ed25519 key; ``retired`` keys sign nothing new but verify until ``not_after``."""

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(40), primary_key=True)
    private_key: Mapped[bytes] = mapped_column(LargeBinary)  # raw 32 bytes
    public_key: Mapped[bytes] = mapped_column(LargeBinary)  # raw 32 bytes
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    not_after: Mapped[datetime | None] = mapped_column(UtcDateTime)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class IssuedToken(Base):
    """Audit of tokens issued (no payload or signature kept)."""

    __tablename__ = "issued_tokens"

    token_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kid: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(1))
    subject: Mapped[str] = mapped_column(String(40), index=True)
    issued_at: Mapped[int] = mapped_column(Integer)  # unix seconds
    expires_at: Mapped[int] = mapped_column(Integer)  # unix seconds


class RevokedToken(Base):
    __tablename__ = "revoked_tokens"

    token_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    revoked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
