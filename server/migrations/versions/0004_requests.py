"""Requests: workflow columns, SLA timers, media, ratings and Open311 fields.

Revision ID: 0004_requests
Revises: 0003_health
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from server.db import UtcDateTime

revision = "0004_requests"
down_revision = "0003_health"
branch_labels = None
depends_on = None

_NEW_COLUMNS = (
    ("source", sa.String(16), "kiosk"),
    ("place_code", sa.String(64), ""),
    ("phrases", sa.JSON(), "[]"),
    ("urgency", sa.String(16), "normal"),
    ("receipt_code", sa.String(16), ""),
    ("operator_id", sa.String(32), None),
    ("received_at", UtcDateTime(), None),
    ("accept_due", UtcDateTime(), None),
    ("resolve_due", UtcDateTime(), None),
    ("accepted_at", UtcDateTime(), None),
    ("resolved_at", UtcDateTime(), None),
    ("closed_at", UtcDateTime(), None),
    ("finished_at", UtcDateTime(), None),
    ("callback_due", UtcDateTime(), None),
    ("callback_at", UtcDateTime(), None),
    ("callback_note", sa.Text(), ""),
    ("rating", sa.Integer(), None),
    ("rating_reason", sa.Text(), ""),
    ("rated_at", UtcDateTime(), None),
    ("reopen_count", sa.Integer(), "0"),
    ("points_awarded", sa.Integer(), "0"),
    ("points_reason", sa.String(64), ""),
    ("lat", sa.Float(), None),
    ("long", sa.Float(), None),
    ("media_url", sa.Text(), None),
    ("device_id", sa.String(100), None),
    ("account_id", sa.String(100), None),
    ("open311_client", sa.String(32), None),
)


def upgrade() -> None:
    with op.batch_alter_table("service_requests") as batch:
        for name, type_, default in _NEW_COLUMNS:
            if default is None:
                batch.add_column(sa.Column(name, type_, nullable=True))
            else:  # existing rows get the default; new rows get it from the model
                batch.add_column(sa.Column(name, type_, nullable=False, server_default=sa.text(f"'{default}'")
                                           if not default.isdigit() else sa.text(default)))
    op.create_table(
        "service_request_media",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tracking_no", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("mime", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("complete_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["tracking_no"], ["service_requests.tracking_no"],
                                name=op.f("fk_service_request_media_tracking_no_service_requests")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_request_media")),
        sa.UniqueConstraint("tracking_no", "sha256", name="uq_service_request_media_tracking_sha"),
    )
    op.create_index(op.f("ix_service_request_media_tracking_no"), "service_request_media", ["tracking_no"])
    op.create_table(
        "service_request_media_chunks",
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["media_id"], ["service_request_media.id"],
                                name=op.f("fk_service_request_media_chunks_media_id_service_request_media")),
        sa.PrimaryKeyConstraint("media_id", "index", name=op.f("pk_service_request_media_chunks")),
    )
    op.create_table(
        "request_categories",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("zh", sa.String(50), nullable=False),
        sa.Column("en", sa.String(80), nullable=False),
        sa.Column("icon", sa.String(64), nullable=False),
        sa.Column("phrases", sa.JSON(), nullable=False),
        sa.Column("safety_hazard", sa.Boolean(), nullable=False),
        sa.Column("agency", sa.String(100), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_request_categories")),
    )
    op.create_table(
        "request_places",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("parent_code", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("zh", sa.String(100), nullable=False),
        sa.Column("en", sa.String(100), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("long", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_request_places")),
    )
    op.create_index(op.f("ix_request_places_parent_code"), "request_places", ["parent_code"])
    op.create_table(
        "open311_clients",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_clients")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_open311_clients_key_hash")),
    )


def downgrade() -> None:
    op.drop_table("open311_clients")
    op.drop_index(op.f("ix_request_places_parent_code"), table_name="request_places")
    op.drop_table("request_places")
    op.drop_table("request_categories")
    op.drop_table("service_request_media_chunks")
    op.drop_index(op.f("ix_service_request_media_tracking_no"), table_name="service_request_media")
    op.drop_table("service_request_media")
    with op.batch_alter_table("service_requests") as batch:
        for name, _type, _default in reversed(_NEW_COLUMNS):
            batch.drop_column(name)
