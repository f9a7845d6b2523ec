"""Requests: filed reports, their media and the status timeline cache.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table("requests",
    sa.Column("tracking_no", sa.String(length=32), nullable=False),
    sa.Column("origin", sa.String(length=8), nullable=False),
    sa.Column("kiosk_code", sa.String(length=16), nullable=True),
    sa.Column("local_day", sa.String(length=6), nullable=True),
    sa.Column("day_seq", sa.Integer(), nullable=True),
    sa.Column("resident_id", sa.String(length=64), nullable=True),
    sa.Column("operator_id", sa.String(length=64), nullable=True),
    sa.Column("category", sa.String(length=32), nullable=False),
    sa.Column("place_code", sa.String(length=64), nullable=False),
    sa.Column("place_text", sa.Text(), nullable=False),
    sa.Column("phrases", sa.JSON(), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("urgency", sa.String(length=16), nullable=False),
    sa.Column("receipt_code", sa.String(length=16), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("status_at", sa.DateTime(), nullable=False),
    sa.Column("events", sa.JSON(), nullable=False),
    sa.Column("handler_note", sa.Text(), nullable=False),
    sa.Column("result_photo_sha", sa.String(length=64), nullable=True),
    sa.Column("rating", sa.Integer(), nullable=True),
    sa.Column("rating_reason", sa.Text(), nullable=False),
    sa.Column("rated_at", sa.DateTime(), nullable=True),
    sa.Column("reopen_requested_at", sa.DateTime(), nullable=True),
    sa.Column("points_awarded", sa.Integer(), nullable=False),
    sa.Column("points_reason", sa.String(length=64), nullable=False),
    sa.Column("finished_at", sa.DateTime(), nullable=True),
    sa.Column("reopen_until", sa.DateTime(), nullable=True),
    sa.Column("server_seen", sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint("tracking_no", name=op.f("pk_requests")),
    sa.UniqueConstraint("kiosk_code", "local_day", "day_seq", name="uq_requests_kiosk_day_seq"),
    )
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_requests_resident_id"), ["resident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_requests_created_at"), ["created_at"], unique=False)

    op.create_table("request_media",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("tracking_no", sa.String(length=32), nullable=False),
    sa.Column("sha256", sa.String(length=64), nullable=False),
    sa.Column("kind", sa.String(length=16), nullable=False),
    sa.Column("mime", sa.String(length=64), nullable=False),
    sa.Column("size", sa.Integer(), nullable=False),
    sa.Column("duration_s", sa.Float(), nullable=True),
    sa.Column("data", sa.LargeBinary(), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_request_media")),
    sa.UniqueConstraint("tracking_no", "sha256", name="uq_request_media_tracking_sha"),
    )
    with op.batch_alter_table("request_media", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_request_media_tracking_no"), ["tracking_no"], unique=False)

    op.create_table("request_outbox",
    sa.Column("outbox_key", sa.String(length=36), nullable=False),
    sa.Column("tracking_no", sa.String(length=32), nullable=False),
    sa.Column("kind", sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint("outbox_key", name=op.f("pk_request_outbox")),
    )
    with op.batch_alter_table("request_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_request_outbox_tracking_no"), ["tracking_no"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("request_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_outbox_tracking_no"))
    op.drop_table("request_outbox")
    with op.batch_alter_table("request_media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_media_tracking_no"))
    op.drop_table("request_media")
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_requests_created_at"))
        batch_op.drop_index(batch_op.f("ix_requests_resident_id"))
    op.drop_table("requests")
