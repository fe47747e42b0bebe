"""Several operators and crisis mode: GRIP levels per organisation, crisis contacts
(24/7 number, public order and safety), and on PostgreSQL a trigger that NOTIFYs every
change of a call or a GRIP level so other consoles refresh at once.

Revision ID: 7899abea2411
Revises: ae1c39a9bcb5
Create Date: 2026-11-23 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk_tui.store.change_feed import install_change_notices, remove_change_notices
from desk_tui.store.default_grants import grant_added_action, revoke_removed_action

revision: str = '7899abea2411'
down_revision: str | Sequence[str] | None = 'ae1c39a9bcb5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'crisis_contact',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('organisation_id', sa.Uuid(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('role_title', sa.String(length=200), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=True),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=True),
        sa.Column('sort_order', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['organisation_id'], ['organisation.id'],
            name=op.f('fk_crisis_contact_organisation_id_organisation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_crisis_contact')),
    )
    op.create_index(op.f('ix_crisis_contact_organisation_id'), 'crisis_contact',
                    ['organisation_id'], unique=False)
    op.create_table(
        'grip_level',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('organisation_id', sa.Uuid(), nullable=False),
        sa.Column('level', sa.SmallInteger(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('crisis_since', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('set_by_id', sa.Uuid(), nullable=True),
        sa.Column('ended_by_id', sa.Uuid(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.CheckConstraint('level BETWEEN 0 AND 4', name=op.f('ck_grip_level_level_range')),
        sa.CheckConstraint('ended_at IS NULL OR ended_at >= started_at',
                           name=op.f('ck_grip_level_period')),
        sa.ForeignKeyConstraint(
            ['organisation_id'], ['organisation.id'],
            name=op.f('fk_grip_level_organisation_id_organisation'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(
            ['set_by_id'], ['operator.id'], name=op.f('fk_grip_level_set_by_id_operator'),
            ondelete='SET NULL'),
        sa.ForeignKeyConstraint(
            ['ended_by_id'], ['operator.id'], name=op.f('fk_grip_level_ended_by_id_operator'),
            ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grip_level')),
    )
    op.create_index('uq_grip_level_current', 'grip_level', ['organisation_id'], unique=True,
                    sqlite_where=sa.text('ended_at IS NULL'),
                    postgresql_where=sa.text('ended_at IS NULL'))
    install_change_notices(op.get_bind())
    grant_added_action(op.get_bind(), "crisis.manage", ("agent", "on_call", "administrator"))


def downgrade() -> None:
    revoke_removed_action(op.get_bind(), "crisis.manage")
    remove_change_notices(op.get_bind())
    op.drop_index('uq_grip_level_current', table_name='grip_level')
    op.drop_table('grip_level')
    op.drop_index(op.f('ix_crisis_contact_organisation_id'), table_name='crisis_contact')
    op.drop_table('crisis_contact')
