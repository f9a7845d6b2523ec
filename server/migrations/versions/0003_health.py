"""Health: FHIR observations from kiosks, consents and the doctor's alert list.

Revision ID: 0003_health
Revises: 0002_ledger
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from server.db import UtcDateTime

revision = "0003_health"
down_revision = "0002_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "health_consent",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("resident_id", sa.String(64), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("record_key", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_consent")),
        sa.UniqueConstraint("record_key", name=op.f("uq_health_consent_record_key")),
    )
    op.create_index("ix_health_consent_latest", "health_consent", ["resident_id", "decided_at"])
    op.create_table(
        "health_check",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("resident_id", sa.String(64), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("measured_at", UtcDateTime(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("alert", sa.Boolean(), nullable=False),
        sa.Column("record_key", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_check")),
        sa.UniqueConstraint("record_key", name=op.f("uq_health_check_record_key")),
    )
    op.create_index(op.f("ix_health_check_resident_id"), "health_check", ["resident_id"])
    op.create_table(
        "health_observation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("check_id", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.String(64), nullable=False),
        sa.Column("loinc", sa.String(16), nullable=False),
        sa.Column("effective_at", UtcDateTime(), nullable=False),
        sa.Column("value_text", sa.String(32), nullable=False),
        sa.Column("category", sa.String(40), nullable=True),
        sa.Column("interpretation", sa.String(4), nullable=True),
        sa.Column("resource", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["check_id"], ["health_check.id"], name=op.f("fk_health_observation_check_id_health_check")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_observation")),
    )
    op.create_index(op.f("ix_health_observation_check_id"), "health_observation", ["check_id"])
    op.create_index("ix_health_observation_resident", "health_observation", ["resident_id", "effective_at"])
    op.create_table(
        "health_alert",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("check_id", sa.String(32), nullable=False),
        sa.Column("resident_id", sa.String(64), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("done_at", UtcDateTime(), nullable=True),
        sa.Column("note", sa.String(200), nullable=False),
        sa.CheckConstraint("status IN ('open', 'done')", name=op.f("ck_health_alert_status")),
        sa.ForeignKeyConstraint(["check_id"], ["health_check.id"], name=op.f("fk_health_alert_check_id_health_check")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_alert")),
        sa.UniqueConstraint("check_id", name=op.f("uq_health_alert_check_id")),
    )
    op.create_index(op.f("ix_health_alert_resident_id"), "health_alert", ["resident_id"])
    op.create_index(op.f("ix_health_alert_status"), "health_alert", ["status"])


def downgrade() -> None:
    op.drop_table("health_alert")
    op.drop_table("health_observation")
    op.drop_table("health_check")
    op.drop_table("health_consent")
