"""The record of each privacy purge run (when, by whom, counts), so desk can warn when
the daily purge did not run.

Revision ID: b3d1f0a7c2e9
Revises: 0fbc162cf2eb
Create Date: 2026-11-23 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3d1f0a7c2e9"
down_revision: str | Sequence[str] | None = "0fbc162cf2eb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "purge_run",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=True),
        sa.Column("operator_login", sa.String(length=200), nullable=False),
        sa.Column("today", sa.Date(), nullable=False),
        sa.Column("grace_months", sa.Integer(), nullable=False),
        sa.Column("organisations", sa.Integer(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("operators", sa.Integer(), nullable=False),
        sa.Column("escalation_contacts", sa.Integer(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("mails", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"],
                                name=op.f("fk_purge_run_operator_id_operator"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purge_run")),
    )
    with op.batch_alter_table("purge_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_purge_run_ran_at"), ["ran_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("purge_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purge_run_ran_at"))
    op.drop_table("purge_run")
