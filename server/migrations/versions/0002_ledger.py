"""Points ledger: accounts, transactions, movements (append-only) and offline reserves.

Revision ID: 0002_ledger
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from server.db import UtcDateTime
from server.ledger.models import (
    ACCOUNT_KINDS,
    APPEND_ONLY_TABLES,
    OPERATOR_KINDS,
    POSTGRES_APPEND_ONLY_FUNCTION,
    RESERVE_STATUSES,
    TX_KINDS,
    postgres_append_only_ddl,
    sqlite_append_only_ddl,
)

revision = "0002_ledger"
down_revision = "0001_core"
branch_labels = None
depends_on = None

BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "ledger_account",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=True),
        sa.Column("balance", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint(_in("kind", ACCOUNT_KINDS), name=op.f("ck_ledger_account_kind")),
        sa.CheckConstraint("kind = 'issuer' OR balance >= 0", name=op.f("ck_ledger_account_non_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_account")),
    )
    op.create_index(op.f("ix_ledger_account_owner_id"), "ledger_account", ["owner_id"])
    op.create_table(
        "ledger_tx",
        sa.Column("id", BIGINT, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("resident_id", sa.String(64), nullable=True),
        sa.Column("beneficiary_id", sa.String(64), nullable=True),
        sa.Column("operator_kind", sa.String(16), nullable=False),
        sa.Column("operator_id", sa.String(64), nullable=True),
        sa.Column("category", sa.String(32), nullable=True),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("rule", sa.String(32), nullable=True),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.Column("merchant_id", sa.String(64), nullable=True),
        sa.Column("kiosk_id", sa.String(64), nullable=True),
        sa.Column("reserve_id", sa.String(64), nullable=True),
        sa.Column("yuan_rate", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(100), nullable=True),
        sa.Column("reverses_tx_id", BIGINT, nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint(_in("kind", TX_KINDS), name=op.f("ck_ledger_tx_kind")),
        sa.CheckConstraint(_in("operator_kind", OPERATOR_KINDS), name=op.f("ck_ledger_tx_operator_kind")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_ledger_tx_amount_positive")),
        sa.CheckConstraint("yuan_rate > 0", name=op.f("ck_ledger_tx_yuan_rate_positive")),
        sa.ForeignKeyConstraint(["reverses_tx_id"], ["ledger_tx.id"], name=op.f("fk_ledger_tx_reverses_tx_id_ledger_tx")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_tx")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_ledger_tx_idempotency_key")),
        sa.UniqueConstraint("reverses_tx_id", name=op.f("uq_ledger_tx_reverses_tx_id")),
    )
    op.create_index(op.f("ix_ledger_tx_resident_id"), "ledger_tx", ["resident_id"])
    op.create_index(op.f("ix_ledger_tx_reserve_id"), "ledger_tx", ["reserve_id"])
    op.create_index(op.f("ix_ledger_tx_created_at"), "ledger_tx", ["created_at"])
    op.create_index("ix_ledger_tx_rule_resident", "ledger_tx", ["rule", "resident_id", "created_at"])
    op.create_table(
        "ledger_movement",
        sa.Column("id", BIGINT, autoincrement=True, nullable=False),
        sa.Column("tx_id", BIGINT, nullable=False),
        sa.Column("account_id", sa.String(100), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_ledger_movement_non_zero")),
        sa.ForeignKeyConstraint(["tx_id"], ["ledger_tx.id"], name=op.f("fk_ledger_movement_tx_id_ledger_tx")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["ledger_account.id"], name=op.f("fk_ledger_movement_account_id_ledger_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_movement")),
    )
    op.create_index(op.f("ix_ledger_movement_tx_id"), "ledger_movement", ["tx_id"])
    op.create_index(op.f("ix_ledger_movement_account_id"), "ledger_movement", ["account_id"])
    op.create_table(
        "ledger_reserve",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("resident_id", sa.String(64), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("opened_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint(_in("status", RESERVE_STATUSES), name=op.f("ck_ledger_reserve_status")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["ledger_account.id"], name=op.f("fk_ledger_reserve_account_id_ledger_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_reserve")),
    )
    op.create_index(op.f("ix_ledger_reserve_kiosk_id"), "ledger_reserve", ["kiosk_id"])
    op.create_index(op.f("ix_ledger_reserve_expires_at"), "ledger_reserve", ["expires_at"])
    op.create_index(
        "uq_ledger_reserve_open", "ledger_reserve", ["resident_id", "kiosk_id"], unique=True,
        sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(POSTGRES_APPEND_ONLY_FUNCTION)
    for table in APPEND_ONLY_TABLES:
        for stmt in (postgres_append_only_ddl(table) if dialect == "postgresql" else sqlite_append_only_ddl(table)):
            op.execute(stmt)


def downgrade() -> None:
    op.drop_table("ledger_reserve")
    op.drop_table("ledger_movement")
    op.drop_table("ledger_tx")
    op.drop_table("ledger_account")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS ledger_append_only()")
