"""Operations: staff PIN hashes, kiosk heartbeats and help calls.

Revision ID: 0006_ops
Revises: 0005_canteen
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from server.db import UtcDateTime

revision = "0006_ops"
down_revision = "0005_canteen"
branch_labels = None
depends_on = None

BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "staff_pins",
        sa.Column("staff_id", sa.String(32), nullable=False),
        sa.Column("pin_hash", sa.String(200), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_staff_pins_staff_id_staff")),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_pins")),
    )
    op.create_table(
        "kiosk_heartbeats",
        sa.Column("id", BIGINT, autoincrement=True, nullable=False),
        sa.Column("kiosk_id", sa.String(32), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_heartbeats")),
    )
    op.create_index("ix_kiosk_heartbeats_kiosk_received", "kiosk_heartbeats", ["kiosk_id", "received_at"])
    op.create_table(
        "help_calls",
        sa.Column("call_id", sa.String(32), nullable=False),
        sa.Column("kiosk_id", sa.String(32), nullable=False),
        sa.Column("community_id", sa.String(32), nullable=False),
        sa.Column("where", sa.String(64), nullable=False),
        sa.Column("resident_id", sa.String(32), nullable=True),
        sa.Column("raised_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("closed_by", sa.String(48), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_help_calls")),
    )
    op.create_index(op.f("ix_help_calls_community_id"), "help_calls", ["community_id"])
    op.create_index(op.f("ix_help_calls_status"), "help_calls", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_help_calls_status"), table_name="help_calls")
    op.drop_index(op.f("ix_help_calls_community_id"), table_name="help_calls")
    op.drop_table("help_calls")
    op.drop_index("ix_kiosk_heartbeats_kiosk_received", table_name="kiosk_heartbeats")
    op.drop_table("kiosk_heartbeats")
    op.drop_table("staff_pins")
