"""Mail language: confirmations and P1 notices go out in the recipient's language.

A person may have a language of their own; otherwise the organisation's counts, Dutch by
default.

Revision ID: 5b7e1c2d9a40
Revises: 124e4db4f472
Create Date: 2026-11-23 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b7e1c2d9a40"
down_revision: str | Sequence[str] | None = "124e4db4f472"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "organisation",
        sa.Column("language", sa.String(length=2), nullable=False, server_default="nl"),
    )
    op.add_column("person", sa.Column("language", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("organisation") as batch:
        batch.drop_column("language")
