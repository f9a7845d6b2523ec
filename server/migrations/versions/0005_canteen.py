"""Canteen and points: bookings, tickets, redemptions, activity check-ins, tier prices.

Revision ID: 0005_canteen
Revises: 0004_requests
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from server.db import UtcDateTime

revision = "0005_canteen"
down_revision = "0004_requests"
branch_labels = None
depends_on = None

BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ACTIVE = "status IN ('booked', 'served', 'no_show')"


def upgrade() -> None:
    op.create_table(
        "canteen_seats",
        sa.Column("menu_id", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.Column("held", sa.Integer(), nullable=False),
        sa.CheckConstraint("booked >= 0 AND held >= 0", name=op.f("ck_canteen_seats_non_negative")),
        sa.CheckConstraint("booked + held <= capacity", name=op.f("ck_canteen_seats_within_capacity")),
        sa.ForeignKeyConstraint(["menu_id"], ["menus.id"], name=op.f("fk_canteen_seats_menu_id_menus")),
        sa.PrimaryKeyConstraint("menu_id", name=op.f("pk_canteen_seats")),
    )
    op.create_table(
        "canteen_bookings",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("menu_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("meal", sa.String(8), nullable=False),
        sa.Column("payer_id", sa.String(64), nullable=False),
        sa.Column("beneficiary_id", sa.String(64), nullable=False),
        sa.Column("kiosk_id", sa.String(32), nullable=False),
        sa.Column("operator_id", sa.String(64), nullable=True),
        sa.Column("payment", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("discount_percent", sa.Integer(), nullable=False),
        sa.Column("subsidy_points", sa.Integer(), nullable=False),
        sa.Column("base_points", sa.Integer(), nullable=False),
        sa.Column("price_points", sa.Integer(), nullable=False),
        sa.Column("paid_points", sa.Integer(), nullable=False),
        sa.Column("cash_points", sa.Integer(), nullable=False),
        sa.Column("counter_no", sa.Integer(), nullable=False),
        sa.Column("spend_tx_id", BIGINT, nullable=True),
        sa.Column("refund_tx_id", BIGINT, nullable=True),
        sa.Column("hold_id", sa.String(32), nullable=True),
        sa.Column("ticket", sa.String(400), nullable=False),
        sa.Column("refused_code", sa.String(64), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("cancelled_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('booked', 'cancelled', 'served', 'no_show', 'refused')",
                           name=op.f("ck_canteen_bookings_status")),
        sa.CheckConstraint("paid_points >= 0 AND cash_points >= 0 AND price_points >= 0",
                           name=op.f("ck_canteen_bookings_amounts")),
        sa.ForeignKeyConstraint(["menu_id"], ["menus.id"], name=op.f("fk_canteen_bookings_menu_id_menus")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canteen_bookings")),
    )
    op.create_index(op.f("ix_canteen_bookings_day"), "canteen_bookings", ["day"])
    op.create_index(op.f("ix_canteen_bookings_payer_id"), "canteen_bookings", ["payer_id"])
    op.create_index(op.f("ix_canteen_bookings_beneficiary_id"), "canteen_bookings", ["beneficiary_id"])
    op.create_index("ix_canteen_bookings_menu_status", "canteen_bookings", ["menu_id", "status"])
    op.create_index("uq_canteen_bookings_active", "canteen_bookings", ["beneficiary_id", "menu_id"], unique=True,
                    sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))
    op.create_table(
        "canteen_servings",
        sa.Column("booking_id", sa.String(32), nullable=False),
        sa.Column("beneficiary_id", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("meal", sa.String(8), nullable=False),
        sa.Column("kiosk_id", sa.String(32), nullable=False),
        sa.Column("counter_id", sa.String(32), nullable=False),
        sa.Column("via", sa.String(8), nullable=False),
        sa.Column("served_at", UtcDateTime(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("booking_id", name=op.f("pk_canteen_servings")),
    )
    op.create_index("ix_canteen_servings_person_meal", "canteen_servings", ["beneficiary_id", "day", "meal"])
    op.create_table(
        "canteen_seat_holds",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("menu_id", sa.Integer(), nullable=False),
        sa.Column("kiosk_id", sa.String(32), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint("seats >= 0 AND used >= 0", name=op.f("ck_canteen_seat_holds_non_negative")),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_canteen_seat_holds_status")),
        sa.ForeignKeyConstraint(["menu_id"], ["menus.id"], name=op.f("fk_canteen_seat_holds_menu_id_menus")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canteen_seat_holds")),
    )
    op.create_index(op.f("ix_canteen_seat_holds_menu_id"), "canteen_seat_holds", ["menu_id"])
    op.create_index("uq_canteen_seat_holds_open", "canteen_seat_holds", ["menu_id", "kiosk_id"], unique=True,
                    sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
    op.create_table(
        "canteen_counter_claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("counter_no", sa.Integer(), nullable=False),
        sa.Column("kiosk_id", sa.String(32), nullable=False),
        sa.Column("counter_id", sa.String(32), nullable=False),
        sa.Column("claimed_at", UtcDateTime(), nullable=False),
        sa.Column("released_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canteen_counter_claims")),
    )
    op.create_index(op.f("ix_canteen_counter_claims_kiosk_id"), "canteen_counter_claims", ["kiosk_id"])
    op.create_index("uq_canteen_counter_claims_open", "canteen_counter_claims", ["community_id", "day", "counter_no"],
                    unique=True, sqlite_where=sa.text("released_at IS NULL"),
                    postgresql_where=sa.text("released_at IS NULL"))
    op.create_table(
        "canteen_ticket_keys",
        sa.Column("kid", sa.String(40), nullable=False),
        sa.Column("kiosk_id", sa.String(32), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_canteen_ticket_keys")),
    )
    op.create_index(op.f("ix_canteen_ticket_keys_kiosk_id"), "canteen_ticket_keys", ["kiosk_id"])
    op.create_table(
        "activity_rewards",
        sa.Column("activity_id", sa.String(32), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"],
                                name=op.f("fk_activity_rewards_activity_id_activities")),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_activity_rewards")),
    )
    op.create_table(
        "activity_checkins",
        sa.Column("resident_id", sa.String(64), nullable=False),
        sa.Column("activity_id", sa.String(32), nullable=False),
        sa.Column("kiosk_id", sa.String(32), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("tx_id", BIGINT, nullable=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("resident_id", "activity_id", name=op.f("pk_activity_checkins")),
    )
    op.create_table(
        "points_leaderboard_opt_in",
        sa.Column("resident_id", sa.String(64), nullable=False),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("resident_id", name=op.f("pk_points_leaderboard_opt_in")),
    )


def downgrade() -> None:
    op.drop_table("points_leaderboard_opt_in")
    op.drop_table("activity_checkins")
    op.drop_table("activity_rewards")
    op.drop_index(op.f("ix_canteen_ticket_keys_kiosk_id"), table_name="canteen_ticket_keys")
    op.drop_table("canteen_ticket_keys")
    op.drop_index("uq_canteen_counter_claims_open", table_name="canteen_counter_claims")
    op.drop_index(op.f("ix_canteen_counter_claims_kiosk_id"), table_name="canteen_counter_claims")
    op.drop_table("canteen_counter_claims")
    op.drop_index("uq_canteen_seat_holds_open", table_name="canteen_seat_holds")
    op.drop_index(op.f("ix_canteen_seat_holds_menu_id"), table_name="canteen_seat_holds")
    op.drop_table("canteen_seat_holds")
    op.drop_index("ix_canteen_servings_person_meal", table_name="canteen_servings")
    op.drop_table("canteen_servings")
    for name in ("uq_canteen_bookings_active", "ix_canteen_bookings_menu_status"):
        op.drop_index(name, table_name="canteen_bookings")
    for column in ("beneficiary_id", "payer_id", "day"):
        op.drop_index(op.f(f"ix_canteen_bookings_{column}"), table_name="canteen_bookings")
    op.drop_table("canteen_bookings")
    op.drop_table("canteen_seats")
