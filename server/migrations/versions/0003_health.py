"""Health: FHIR observations from kiosks, consents and the doctor's alert list.

Revision ID: 0003_health
Revises: 0002_ledger
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0003_health"
down_revision = "0002_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
