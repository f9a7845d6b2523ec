"""Ledger tables: accounts with cached balances, transactions, signed movements and offline reserves.

Integer points only (10 points = 1 yuan). Account ids say what they are:
``resident:R-000123``, ``reserve:<reserve_id>``, ``merchant:<merchant_id>`` (e.g.
``merchant:canteen:C01``) and ``issuer:<subdistrict>``. The issuer is the only account allowed
below zero: awarded points come from it, so the sum over all accounts is always 0.

Movements and transactions are append-only: database triggers refuse UPDATE and DELETE on them
(corrections are reversal transactions). Only ``ledger_account.balance`` (a cache of the sum of
the account's movements, updated in the same transaction) and a reserve's status change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DDL,
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime, utc_now

BIGINT = BigInteger().with_variant(Integer, "sqlite")

ACCOUNT_KINDS = ("resident", "reserve", "merchant", "issuer")
TX_KINDS = ("award", "spend", "reserve", "release", "reversal", "transfer")
OPERATOR_KINDS = ("kiosk", "staff", "system")
DIMENSIONS = ("harmony", "civility", "governance", "integrity", "future")
RESERVE_STATUSES = ("open", "closed")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Account(Base):
    """One account; ``balance`` caches the sum of its movements (never negative unless issuer)."""

    __tablename__ = "ledger_account"
    __table_args__ = (
        CheckConstraint(_in("kind", ACCOUNT_KINDS), name="kind"),
        CheckConstraint("kind = 'issuer' OR balance >= 0", name="non_negative"),
    )

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[str | None] = mapped_column(String(64), index=True)  # resident of resident/reserve accounts
    balance: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class LedgerTx(Base):
    """One transaction: its movements sum to 0. ``category`` is the dimension (awards) or purpose (spends)."""

    __tablename__ = "ledger_tx"
    __table_args__ = (
        CheckConstraint(_in("kind", TX_KINDS), name="kind"),
        CheckConstraint(_in("operator_kind", OPERATOR_KINDS), name="operator_kind"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("yuan_rate > 0", name="yuan_rate_positive"),
        Index("ix_ledger_tx_rule_resident", "rule", "resident_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BIGINT, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)  # the headline points (always > 0)
    resident_id: Mapped[str | None] = mapped_column(String(64), index=True)  # recipient / payer
    beneficiary_id: Mapped[str | None] = mapped_column(String(64))
    operator_kind: Mapped[str] = mapped_column(String(16))
    operator_id: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(200))
    rule: Mapped[str | None] = mapped_column(String(32))
    hours: Mapped[float | None] = mapped_column(Float)
    merchant_id: Mapped[str | None] = mapped_column(String(64))
    kiosk_id: Mapped[str | None] = mapped_column(String(64))
    reserve_id: Mapped[str | None] = mapped_column(String(64), index=True)
    yuan_rate: Mapped[int] = mapped_column(Integer)  # points per yuan in force
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    reverses_tx_id: Mapped[int | None] = mapped_column(
        BIGINT, ForeignKey("ledger_tx.id"), unique=True  # unique: a transaction is reversed at most once
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)


class Movement(Base):
    """A signed amount on one account inside one transaction (append-only)."""

    __tablename__ = "ledger_movement"
    __table_args__ = (CheckConstraint("amount <> 0", name="non_zero"),)

    id: Mapped[int] = mapped_column(BIGINT, primary_key=True, autoincrement=True)
    tx_id: Mapped[int] = mapped_column(BIGINT, ForeignKey("ledger_tx.id"), index=True)
    account_id: Mapped[str] = mapped_column(String(100), ForeignKey("ledger_account.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)


class Reserve(Base):
    """Points of one resident held for one kiosk's offline spending; at most one open per (resident, kiosk)."""

    __tablename__ = "ledger_reserve"
    __table_args__ = (
        CheckConstraint(_in("status", RESERVE_STATUSES), name="status"),
        Index(
            "uq_ledger_reserve_open",
            "resident_id",
            "kiosk_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    resident_id: Mapped[str] = mapped_column(String(64))
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    account_id: Mapped[str] = mapped_column(String(100), ForeignKey("ledger_account.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


# --- append-only guards (also created by migration 0002_ledger) --------------------------------

APPEND_ONLY_TABLES = ("ledger_tx", "ledger_movement")


def sqlite_append_only_ddl(table: str) -> list[str]:
    """SQLite triggers refusing UPDATE and DELETE on ``table``."""
    return [
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        for op in ("UPDATE", "DELETE")
    ]


POSTGRES_APPEND_ONLY_FUNCTION = (
    "CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
)


def postgres_append_only_ddl(table: str) -> list[str]:
    """PostgreSQL trigger refusing UPDATE and DELETE on ``table`` (needs the shared function)."""
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()"
    ]


def _install_guards() -> None:
    event.listen(
        LedgerTx.__table__, "before_create", DDL(POSTGRES_APPEND_ONLY_FUNCTION).execute_if(dialect="postgresql")
    )
    for table in (LedgerTx.__table__, Movement.__table__):
        for stmt in sqlite_append_only_ddl(table.name):
            event.listen(table, "after_create", DDL(stmt).execute_if(dialect="sqlite"))
        for stmt in postgres_append_only_ddl(table.name):
            event.listen(table, "after_create", DDL(stmt).execute_if(dialect="postgresql"))


_install_guards()
