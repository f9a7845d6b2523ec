"""Canteen and points: bookings, tickets, redemptions and activity check-ins.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "canteen_bookings",
        sa.Column("booking_id", sa.String(length=32), nullable=False),
        sa.Column("menu_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("meal", sa.String(length=8), nullable=False),
        sa.Column("payer_id", sa.String(length=64), nullable=False),
        sa.Column("beneficiary_id", sa.String(length=64), nullable=False),
        sa.Column("masked_name", sa.String(length=64), nullable=False),
        sa.Column("payment", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("discount_percent", sa.Integer(), nullable=False),
        sa.Column("subsidy_points", sa.Integer(), nullable=False),
        sa.Column("base_points", sa.Integer(), nullable=False),
        sa.Column("price_points", sa.Integer(), nullable=False),
        sa.Column("paid_points", sa.Integer(), nullable=False),
        sa.Column("cash_points", sa.Integer(), nullable=False),
        sa.Column("counter_no", sa.Integer(), nullable=False),
        sa.Column("ticket", sa.String(length=400), nullable=False),
        sa.Column("outbox_key", sa.String(length=36), nullable=True),
        sa.Column("hold_id", sa.String(length=32), nullable=True),
        sa.Column("reserve_id", sa.String(length=64), nullable=True),
        sa.Column("refused_code", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("booking_id", name=op.f("pk_canteen_bookings")),
    )
    with op.batch_alter_table("canteen_bookings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_canteen_bookings_payer_id"), ["payer_id"], unique=False)
        batch_op.create_index("ix_canteen_bookings_person_meal", ["beneficiary_id", "day", "meal"], unique=False)

    op.create_table(
        "canteen_seat_holds",
        sa.Column("hold_id", sa.String(length=32), nullable=False),
        sa.Column("menu_id", sa.Integer(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("granted_as_of", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("hold_id", name=op.f("pk_canteen_seat_holds")),
    )
    with op.batch_alter_table("canteen_seat_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_canteen_seat_holds_menu_id"), ["menu_id"], unique=False)

    op.create_table(
        "canteen_ticket_key",
        sa.Column("kid", sa.String(length=40), nullable=False),
        sa.Column("private_key", sa.LargeBinary(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_canteen_ticket_key")),
    )
    op.create_table(
        "canteen_servings",
        sa.Column("booking_id", sa.String(length=32), nullable=False),
        sa.Column("beneficiary_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("meal", sa.String(length=8), nullable=False),
        sa.Column("counter_id", sa.String(length=32), nullable=False),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("outbox_key", sa.String(length=36), nullable=True),
        sa.Column("served_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("booking_id", name=op.f("pk_canteen_servings")),
    )
    with op.batch_alter_table("canteen_servings", schema=None) as batch_op:
        batch_op.create_index("ix_canteen_servings_person_meal", ["beneficiary_id", "day", "meal"], unique=False)

    op.create_table(
        "canteen_counter_claims",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("counter_no", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.String(length=32), nullable=False),
        sa.Column("counter_id", sa.String(length=32), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("day", "counter_no", name=op.f("pk_canteen_counter_claims")),
    )
    op.create_table(
        "points_checkins",
        sa.Column("resident_id", sa.String(length=64), nullable=False),
        sa.Column("activity_id", sa.String(length=32), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.Column("outbox_key", sa.String(length=36), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("resident_id", "activity_id", name=op.f("pk_points_checkins")),
    )
    op.create_table(
        "points_profiles",
        sa.Column("resident_id", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("resident_id", name=op.f("pk_points_profiles")),
    )
    op.create_table(
        "points_leaderboard_choices",
        sa.Column("resident_id", sa.String(length=64), nullable=False),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("resident_id", name=op.f("pk_points_leaderboard_choices")),
    )


def downgrade() -> None:
    op.drop_table("points_leaderboard_choices")
    op.drop_table("points_profiles")
    op.drop_table("points_checkins")
    op.drop_table("canteen_counter_claims")
    with op.batch_alter_table("canteen_servings", schema=None) as batch_op:
        batch_op.drop_index("ix_canteen_servings_person_meal")
    op.drop_table("canteen_servings")
    op.drop_table("canteen_ticket_key")
    with op.batch_alter_table("canteen_seat_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canteen_seat_holds_menu_id"))
    op.drop_table("canteen_seat_holds")
    with op.batch_alter_table("canteen_bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_canteen_bookings_person_meal")
        batch_op.drop_index(batch_op.f("ix_canteen_bookings_payer_id"))
    op.drop_table("canteen_bookings")
