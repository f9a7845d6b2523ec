"""Health cabin: measurements, consents and their purge bookkeeping.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "health_consents",
        sa.Column("resident_id", sa.String(length=64), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("outbox_key", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("resident_id", name=op.f("pk_health_consents")),
    )
    op.create_table(
        "health_measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.String(length=32), nullable=False),
        sa.Column("resident_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("measured_at", sa.DateTime(), nullable=False),
        sa.Column("device_role", sa.String(length=32), nullable=False),
        sa.Column("device_driver", sa.String(length=64), nullable=False),
        sa.Column("site", sa.String(length=16), nullable=True),
        sa.Column("outbox_key", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_measurements")),
    )
    with op.batch_alter_table("health_measurements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_health_measurements_check_id"), ["check_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_health_measurements_outbox_key"), ["outbox_key"], unique=False)
        batch_op.create_index("ix_health_measurements_history", ["resident_id", "kind", "measured_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("health_measurements", schema=None) as batch_op:
        batch_op.drop_index("ix_health_measurements_history")
        batch_op.drop_index(batch_op.f("ix_health_measurements_outbox_key"))
        batch_op.drop_index(batch_op.f("ix_health_measurements_check_id"))
    op.drop_table("health_measurements")
    op.drop_table("health_consents")
