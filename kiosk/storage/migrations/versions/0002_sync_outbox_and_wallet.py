"""Sync: the outbox, caches filled by the changes feed, and the wallet"s reserves and spends.

Revision ID: 0002
Revises: 0001
Create Date: 2024-11-28
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table("balances",
    sa.Column("resident_id", sa.String(length=64), nullable=False),
    sa.Column("balance", sa.Integer(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("resident_id", name=op.f("pk_balances"))
    )
    op.create_table("outbox",
    sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("key", sa.String(length=36), nullable=False),
    sa.Column("kind", sa.String(length=64), nullable=False),
    sa.Column("payload", sa.JSON(), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("operator_id", sa.String(length=64), nullable=True),
    sa.Column("state", sa.String(length=16), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("last_error", sa.String(length=64), nullable=True),
    sa.Column("delivered_at", sa.DateTime(), nullable=True),
    sa.Column("result", sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
    sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_state"), ["state"], unique=False)

    op.create_table("points_spends",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("outbox_key", sa.String(length=36), nullable=False),
    sa.Column("reserve_id", sa.String(length=64), nullable=False),
    sa.Column("payer_id", sa.String(length=64), nullable=False),
    sa.Column("beneficiary_id", sa.String(length=64), nullable=False),
    sa.Column("amount", sa.Integer(), nullable=False),
    sa.Column("purpose", sa.String(length=32), nullable=False),
    sa.Column("merchant_id", sa.String(length=64), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("local_day", sa.String(length=10), nullable=False),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_points_spends")),
    sa.UniqueConstraint("outbox_key", name=op.f("uq_points_spends_outbox_key"))
    )
    with op.batch_alter_table("points_spends", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_points_spends_local_day"), ["local_day"], unique=False)
        batch_op.create_index(batch_op.f("ix_points_spends_payer_id"), ["payer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_points_spends_reserve_id"), ["reserve_id"], unique=False)

    op.create_table("reserves",
    sa.Column("reserve_id", sa.String(length=64), nullable=False),
    sa.Column("resident_id", sa.String(length=64), nullable=False),
    sa.Column("granted_amount", sa.Integer(), nullable=False),
    sa.Column("granted_as_of", sa.DateTime(), nullable=False),
    sa.Column("granted_at", sa.DateTime(), nullable=False),
    sa.Column("server_amount", sa.Integer(), nullable=False),
    sa.Column("expires_at", sa.DateTime(), nullable=False),
    sa.Column("released_at", sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint("reserve_id", name=op.f("pk_reserves"))
    )
    with op.batch_alter_table("reserves", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reserves_resident_id"), ["resident_id"], unique=False)

    op.create_table("residents",
    sa.Column("resident_id", sa.String(length=64), nullable=False),
    sa.Column("masked_name", sa.Text(), nullable=False),
    sa.Column("birth_year", sa.Integer(), nullable=True),
    sa.Column("family_id", sa.String(length=64), nullable=True),
    sa.Column("community_id", sa.String(length=64), nullable=True),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("resident_id", name=op.f("pk_residents"))
    )
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_residents_family_id"), ["family_id"], unique=False)

    op.create_table("revoked_tokens",
    sa.Column("token_id", sa.String(length=64), nullable=False),
    sa.Column("revoked_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("token_id", name=op.f("pk_revoked_tokens"))
    )
    op.create_table("server_cache",
    sa.Column("kind", sa.String(length=32), nullable=False),
    sa.Column("key", sa.String(length=128), nullable=False),
    sa.Column("data", sa.JSON(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_server_cache"))
    )
    op.create_table("server_settings",
    sa.Column("key", sa.String(length=128), nullable=False),
    sa.Column("value", sa.JSON(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("key", name=op.f("pk_server_settings"))
    )
    op.create_table("trusted_keys",
    sa.Column("kid", sa.String(length=64), nullable=False),
    sa.Column("data", sa.JSON(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("kid", name=op.f("pk_trusted_keys"))
    )


def downgrade() -> None:
    op.drop_table("trusted_keys")
    op.drop_table("server_settings")
    op.drop_table("server_cache")
    op.drop_table("revoked_tokens")
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_residents_family_id"))

    op.drop_table("residents")
    with op.batch_alter_table("reserves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reserves_resident_id"))

    op.drop_table("reserves")
    with op.batch_alter_table("points_spends", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_points_spends_reserve_id"))
        batch_op.drop_index(batch_op.f("ix_points_spends_payer_id"))
        batch_op.drop_index(batch_op.f("ix_points_spends_local_day"))

    op.drop_table("points_spends")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_state"))

    op.drop_table("outbox")
    op.drop_table("balances")
