"""The changes feed: every change a kiosk must pull gets a row with a growing sequence number."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String, event, or_, select, text
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from kiosk.protocol import Change, ChangeKind
from server.db import Base, UtcDateTime, utc_now


class ChangeRow(Base):
    """One change; ``audience_kiosk_id`` NULL means every kiosk pulls it."""

    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    audience_kiosk_id: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


# Any constant: the transaction-scoped PostgreSQL advisory lock that orders change_log writers.
_FEED_LOCK_ID = 0x4B494F534B  # "KIOSK"
_FEED_LOCKED = "changes.feed_locked"  # session.info flag: this transaction holds the feed lock
_INSERT_CHANGE = ChangeRow.__table__.insert()


def record_change(
    session: Session, kind: ChangeKind, key: str, data: dict[str, Any], audience_kiosk_id: str | None = None
) -> None:
    """Append a change in the caller's transaction (it becomes visible when that commits).

    On PostgreSQL the first call in a transaction takes an advisory lock held until commit, so
    sequence numbers become visible in order and a reader's cursor never skips a change that
    commits later with a lower seq (SQLite's BEGIN IMMEDIATE already serializes writers). Call
    it late in a transaction, after the row locks the transaction needs, to keep that window short.
    Pending ORM changes are flushed first; the row itself is a Core insert (append-only).
    """
    if not session.info.get(_FEED_LOCKED) and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _FEED_LOCK_ID})
        session.info[_FEED_LOCKED] = True  # forgotten on any rollback (a savepoint's releases it)
    session.flush()
    session.connection().execute(_INSERT_CHANGE, {
        "kind": kind.value, "key": key, "data": data, "audience_kiosk_id": audience_kiosk_id, "created_at": utc_now(),
    })


@event.listens_for(Session, "after_soft_rollback")
def _forget_feed_lock_on_rollback(session: Session, _transaction: SessionTransaction) -> None:
    session.info.pop(_FEED_LOCKED, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_feed_lock_at_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_FEED_LOCKED, None)


def changes_after(session: Session, kiosk_id: str, cursor: int, limit: int) -> list[Change]:
    """Changes for ``kiosk_id`` (its own and everyone's) with seq > cursor, oldest first."""
    rows = session.scalars(
        select(ChangeRow)
        .where(ChangeRow.seq > cursor)
        .where(or_(ChangeRow.audience_kiosk_id.is_(None), ChangeRow.audience_kiosk_id == kiosk_id))
        .order_by(ChangeRow.seq)
        .limit(limit)
    ).all()
    return [Change(seq=r.seq, kind=ChangeKind(r.kind), key=r.key, data=r.data) for r in rows]
