"""Operator PINs: when the current run of failed attempts began.

Five wrong PINs within 15 minutes lock the account for 15 minutes; `failed_pin_attempts`
and `locked_until` already exist, this column holds the start of the 15-minute window.

Revision ID: a7c3e91f5d20
Revises: b3d1f0a7c2e9
Create Date: 2026-11-23 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c3e91f5d20"
down_revision: str | Sequence[str] | None = "b3d1f0a7c2e9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "operator",
        sa.Column("pin_failures_since", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("operator") as batch:
        batch.drop_column("pin_failures_since")
