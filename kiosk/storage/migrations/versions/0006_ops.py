"""Operations: the pulled staff directory, PIN lockouts and help calls.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "staff_directory",
        sa.Column("staff_id", sa.String(length=32), nullable=False),
        sa.Column("masked_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=32), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_directory")),
    )
    op.create_table(
        "pin_lockouts",
        sa.Column("who", sa.String(length=48), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("who", name=op.f("pk_pin_lockouts")),
    )
    op.create_table(
        "help_calls",
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("kiosk_id", sa.String(length=32), nullable=False),
        sa.Column("kiosk_name", sa.String(length=100), nullable=False),
        sa.Column("where", sa.String(length=64), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("local", sa.Boolean(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=48), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_help_calls")),
    )
    with op.batch_alter_table("help_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_help_calls_raised_at"), ["raised_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_help_calls_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("help_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_help_calls_status"))
        batch_op.drop_index(batch_op.f("ix_help_calls_raised_at"))
    op.drop_table("help_calls")
    op.drop_table("pin_lockouts")
    op.drop_table("staff_directory")
