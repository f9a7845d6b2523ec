"""Canteen and points: bookings, tickets, redemptions, activity check-ins, tier prices.

Revision ID: 0005_canteen
Revises: 0004_requests
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0005_canteen"
down_revision = "0004_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
