"""Election sites: a base per person, CI, change, problem and P1 evaluation a site
brings back, and offline conflicts about any of those records, not only calls.

`offline_record_base` holds what a site and the desk last agreed on for a record, so a
record edited again after an import is merged three-way instead of being mistaken for
a change on both sides. `offline_conflict` gains `kind` and `record_id` (a call's
conflicts: kind "call", record_id its call_id) and `call_id` becomes optional.

Revision ID: c4d2e8f1a6b3
Revises: a7c3e91f5d20
Create Date: 2026-11-23 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4d2e8f1a6b3"
down_revision: str | Sequence[str] | None = "a7c3e91f5d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offline_record_base",
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["offline_site.id"],
                                name=op.f("fk_offline_record_base_site_id_offline_site"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("site_id", "kind", "record_id",
                                name=op.f("pk_offline_record_base")),
    )
    with op.batch_alter_table("offline_conflict") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=32), server_default="call",
                                   nullable=False))
        batch.add_column(sa.Column("record_id", sa.Uuid(), nullable=True))
    op.execute("UPDATE offline_conflict SET record_id = call_id")
    with op.batch_alter_table("offline_conflict") as batch:
        batch.alter_column("record_id", existing_type=sa.Uuid(), nullable=False)
        batch.alter_column("call_id", existing_type=sa.Uuid(), nullable=True)
        batch.drop_constraint("uq_offline_conflict_site_id_call_id_payload_hash",
                              type_="unique")
        batch.create_unique_constraint(
            "uq_offline_conflict_site_id_kind_record_id_payload_hash",
            ["site_id", "kind", "record_id", "payload_hash"])


def downgrade() -> None:
    op.execute("DELETE FROM offline_conflict WHERE call_id IS NULL")
    with op.batch_alter_table("offline_conflict") as batch:
        batch.drop_constraint("uq_offline_conflict_site_id_kind_record_id_payload_hash",
                              type_="unique")
        batch.create_unique_constraint("uq_offline_conflict_site_id_call_id_payload_hash",
                                       ["site_id", "call_id", "payload_hash"])
        batch.alter_column("call_id", existing_type=sa.Uuid(), nullable=False)
        batch.drop_column("record_id")
        batch.drop_column("kind")
    op.drop_table("offline_record_base")
