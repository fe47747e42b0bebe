"""Initial schema: organisations, people, operators, calls, CMDB, problems, changes, outbox.

Revision ID: 712f52adb88e
Revises:
Create Date: 2026-11-23 15:10:23.995835
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '712f52adb88e'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


_MANAGER_COLUMNS = ('contract_manager_id', 'information_manager_id')


def _manager_fk_name(column: str) -> str:
    return op.f(f'fk_organisation_{column}_person')


def _organisation_manager_fks() -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(
            [column], ['person.id'], name=_manager_fk_name(column), ondelete='SET NULL',
            use_alter=True,
        )
        for column in _MANAGER_COLUMNS
    ]


def upgrade() -> None:
    op.create_table('category',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('suggested_urgency', sa.String(length=32), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['category.id'], name=op.f('fk_category_parent_id_category'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('parent_id', 'name', name=op.f('uq_category_parent_id_name'))
    )
    op.create_index(op.f('ix_category_parent_id'), 'category', ['parent_id'], unique=False)

    op.create_table('number_sequence',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_number_sequence'))
    )
    op.create_table('organisation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('contract_start', sa.Date(), nullable=True),
    sa.Column('contract_end', sa.Date(), nullable=True),
    sa.Column('contract_manager_id', sa.Uuid(), nullable=True),
    sa.Column('information_manager_id', sa.Uuid(), nullable=True),
    sa.Column('evening_opening', sa.Boolean(), nullable=False),
    sa.Column('personal_data_sealed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start', name=op.f('ck_organisation_contract_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('code', name=op.f('uq_organisation_code')),
    sa.UniqueConstraint('name', name=op.f('uq_organisation_name')),
    # organisation -> person -> organisation is a cycle: SQLite takes the references
    # inline (it checks them only on use), PostgreSQL gets them once person exists.
    *(_organisation_manager_fks() if _sqlite() else []),
    )
    op.create_table('department',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('personnel_requests_allowed', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_department_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_department_organisation_id_name'))
    )
    op.create_table('operator',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('login', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('line', sa.String(length=32), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('pin_hash', sa.String(length=255), nullable=True),
    sa.Column('failed_pin_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_operator_organisation_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operator')),
    sa.UniqueConstraint('login', name=op.f('uq_operator_login'))
    )
    op.create_index(op.f('ix_operator_organisation_id'), 'operator', ['organisation_id'], unique=False)

    op.create_table('operator_role',
    sa.Column('operator_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], name=op.f('fk_operator_role_operator_id_operator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('operator_id', 'role', name=op.f('pk_operator_role'))
    )
    op.create_index(op.f('ix_operator_role_role'), 'operator_role', ['role'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('department_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('login', sa.String(length=100), nullable=True),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('is_hr_submitter', sa.Boolean(), nullable=False),
    sa.Column('is_department_head', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_person_department_id_department'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_person_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('organisation_id', 'login', name=op.f('uq_person_organisation_id_login'))
    )
    op.create_index(op.f('ix_person_department_id'), 'person', ['department_id'], unique=False)
    op.create_index(op.f('ix_person_email'), 'person', ['email'], unique=False)
    op.create_index(op.f('ix_person_name'), 'person', ['name'], unique=False)
    op.create_index(op.f('ix_person_organisation_id'), 'person', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_person_phone'), 'person', ['phone'], unique=False)
    if not _sqlite():
        for column in _MANAGER_COLUMNS:
            op.create_foreign_key(
                _manager_fk_name(column), 'organisation', 'person', [column], ['id'],
                ondelete='SET NULL',
            )

    op.create_table('problem',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('site', sa.String(length=16), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('manager_id', sa.Uuid(), nullable=True),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('root_cause', sa.Text(), nullable=True),
    sa.Column('workaround', sa.Text(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['operator.id'], name=op.f('fk_problem_manager_id_operator'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_problem_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem')),
    sa.UniqueConstraint('site', 'year', 'number', name=op.f('uq_problem_site_year_number'))
    )
    op.create_index(op.f('ix_problem_manager_id'), 'problem', ['manager_id'], unique=False)
    op.create_index(op.f('ix_problem_organisation_id'), 'problem', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_problem_status'), 'problem', ['status'], unique=False)

    op.create_table('call',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('site', sa.String(length=16), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('call_type', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('caller_id', sa.Uuid(), nullable=True),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('department_id', sa.Uuid(), nullable=True),
    sa.Column('category_id', sa.Uuid(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('impact', sa.String(length=32), nullable=True),
    sa.Column('urgency', sa.String(length=32), nullable=True),
    sa.Column('priority', sa.SmallInteger(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('handler_id', sa.Uuid(), nullable=True),
    sa.Column('line', sa.String(length=32), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=True),
    sa.Column('supplier_reference', sa.String(length=100), nullable=True),
    sa.Column('handled_by', sa.String(length=32), nullable=False),
    sa.Column('escalation_level', sa.SmallInteger(), nullable=False),
    sa.Column('registered_by_id', sa.Uuid(), nullable=True),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reaction_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reacted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('solution', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('escalation_level BETWEEN 0 AND 5', name=op.f('ck_call_escalation_level_range')),
    sa.CheckConstraint('priority IS NULL OR priority BETWEEN 1 AND 5', name=op.f('ck_call_priority_range')),
    sa.ForeignKeyConstraint(['caller_id'], ['person.id'], name=op.f('fk_call_caller_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_call_category_id_category'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_call_department_id_department'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['handler_id'], ['operator.id'], name=op.f('fk_call_handler_id_operator'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_call_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['operator.id'], name=op.f('fk_call_registered_by_id_operator'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call')),
    sa.UniqueConstraint('site', 'year', 'number', name=op.f('uq_call_site_year_number'))
    )
    op.create_index(op.f('ix_call_caller_id'), 'call', ['caller_id'], unique=False)
    op.create_index(op.f('ix_call_category_id'), 'call', ['category_id'], unique=False)
    op.create_index(op.f('ix_call_handler_id'), 'call', ['handler_id'], unique=False)
    op.create_index(op.f('ix_call_number'), 'call', ['number'], unique=False)
    op.create_index(op.f('ix_call_organisation_id'), 'call', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_call_priority'), 'call', ['priority'], unique=False)
    op.create_index(op.f('ix_call_registered_at'), 'call', ['registered_at'], unique=False)
    op.create_index(op.f('ix_call_status'), 'call', ['status'], unique=False)

    op.create_table('configuration_item',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ci_type', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('asset_tag', sa.String(length=100), nullable=True),
    sa.Column('serial_number', sa.String(length=100), nullable=True),
    sa.Column('hostname', sa.String(length=255), nullable=True),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_configuration_item_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], name=op.f('fk_configuration_item_owner_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_configuration_item')),
    sa.UniqueConstraint('asset_tag', name=op.f('uq_configuration_item_asset_tag'))
    )
    op.create_index(op.f('ix_configuration_item_ci_type'), 'configuration_item', ['ci_type'], unique=False)
    op.create_index(op.f('ix_configuration_item_expires_on'), 'configuration_item', ['expires_on'], unique=False)
    op.create_index(op.f('ix_configuration_item_hostname'), 'configuration_item', ['hostname'], unique=False)
    op.create_index(op.f('ix_configuration_item_name'), 'configuration_item', ['name'], unique=False)
    op.create_index(op.f('ix_configuration_item_organisation_id'), 'configuration_item', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_configuration_item_owner_id'), 'configuration_item', ['owner_id'], unique=False)
    op.create_index(op.f('ix_configuration_item_serial_number'), 'configuration_item', ['serial_number'], unique=False)

    op.create_table('escalation_contact',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('side', sa.String(length=32), nullable=False),
    sa.Column('role_title', sa.String(length=200), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('person_name', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_escalation_contact_level_range')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_escalation_contact_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_escalation_contact_person_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_contact'))
    )
    op.create_index('ix_escalation_contact_organisation_level', 'escalation_contact', ['organisation_id', 'level'], unique=False)
    op.create_index(op.f('ix_escalation_contact_person_id'), 'escalation_contact', ['person_id'], unique=False)

    op.create_table('call_ci',
    sa.Column('call_id', sa.Uuid(), nullable=False),
    sa.Column('ci_id', sa.Uuid(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_call_ci_call_id_call'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ci_id'], ['configuration_item.id'], name=op.f('fk_call_ci_ci_id_configuration_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', 'ci_id', name=op.f('pk_call_ci'))
    )
    op.create_index(op.f('ix_call_ci_ci_id'), 'call_ci', ['ci_id'], unique=False)

    op.create_table('call_history',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('call_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('operator_id', sa.Uuid(), nullable=True),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('old_value', sa.String(length=200), nullable=True),
    sa.Column('new_value', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_call_history_call_id_call'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], name=op.f('fk_call_history_operator_id_operator'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_history'))
    )
    op.create_index('ix_call_history_call_at', 'call_history', ['call_id', 'at'], unique=False)

    op.create_table('call_pause',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('call_id', sa.Uuid(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('operator_id', sa.Uuid(), nullable=True),
    sa.CheckConstraint('ended_at IS NULL OR ended_at >= started_at', name=op.f('ck_call_pause_period')),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_call_pause_call_id_call'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], name=op.f('fk_call_pause_operator_id_operator'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_pause'))
    )
    op.create_index(op.f('ix_call_pause_call_id'), 'call_pause', ['call_id'], unique=False)

    op.create_table('change',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('site', sa.String(length=16), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('requester_id', sa.Uuid(), nullable=True),
    sa.Column('call_id', sa.Uuid(), nullable=True),
    sa.Column('problem_id', sa.Uuid(), nullable=True),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('emergency', sa.Boolean(), nullable=False),
    sa.Column('release_from', sa.String(length=50), nullable=True),
    sa.Column('release_to', sa.String(length=50), nullable=True),
    sa.Column('release_change', sa.String(length=32), nullable=True),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('planned_for', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reaction_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lead_time_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('own_part_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('implemented_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refusal_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['operator.id'], name=op.f('fk_change_assignee_id_operator'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_change_call_id_call'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_change_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['problem_id'], ['problem.id'], name=op.f('fk_change_problem_id_problem'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requester_id'], ['person.id'], name=op.f('fk_change_requester_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change')),
    sa.UniqueConstraint('site', 'year', 'number', name=op.f('uq_change_site_year_number'))
    )
    op.create_index(op.f('ix_change_assignee_id'), 'change', ['assignee_id'], unique=False)
    op.create_index(op.f('ix_change_call_id'), 'change', ['call_id'], unique=False)
    op.create_index(op.f('ix_change_kind'), 'change', ['kind'], unique=False)
    op.create_index(op.f('ix_change_organisation_id'), 'change', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_change_problem_id'), 'change', ['problem_id'], unique=False)
    op.create_index(op.f('ix_change_registered_at'), 'change', ['registered_at'], unique=False)
    op.create_index(op.f('ix_change_requester_id'), 'change', ['requester_id'], unique=False)
    op.create_index(op.f('ix_change_status'), 'change', ['status'], unique=False)

    op.create_table('ci_relation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('from_ci_id', sa.Uuid(), nullable=False),
    sa.Column('to_ci_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.CheckConstraint('from_ci_id <> to_ci_id', name=op.f('ck_ci_relation_not_self')),
    sa.ForeignKeyConstraint(['from_ci_id'], ['configuration_item.id'], name=op.f('fk_ci_relation_from_ci_id_configuration_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_ci_id'], ['configuration_item.id'], name=op.f('fk_ci_relation_to_ci_id_configuration_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ci_relation')),
    sa.UniqueConstraint('from_ci_id', 'to_ci_id', 'kind', name=op.f('uq_ci_relation_from_ci_id_to_ci_id_kind'))
    )
    op.create_index(op.f('ix_ci_relation_to_ci_id'), 'ci_relation', ['to_ci_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('call_id', sa.Uuid(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_outbox_call_id_call'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_dedupe_key'))
    )
    op.create_index(op.f('ix_outbox_call_id'), 'outbox', ['call_id'], unique=False)
    op.create_index('ix_outbox_pending', 'outbox', ['sent_at', 'next_attempt_at'], unique=False)

    op.create_table('problem_call',
    sa.Column('problem_id', sa.Uuid(), nullable=False),
    sa.Column('call_id', sa.Uuid(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('linked_by_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_problem_call_call_id_call'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['linked_by_id'], ['operator.id'], name=op.f('fk_problem_call_linked_by_id_operator'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['problem_id'], ['problem.id'], name=op.f('fk_problem_call_problem_id_problem'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('problem_id', 'call_id', name=op.f('pk_problem_call'))
    )
    op.create_index(op.f('ix_problem_call_call_id'), 'problem_call', ['call_id'], unique=False)

    op.create_table('change_ci',
    sa.Column('change_id', sa.Uuid(), nullable=False),
    sa.Column('ci_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['change_id'], ['change.id'], name=op.f('fk_change_ci_change_id_change'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ci_id'], ['configuration_item.id'], name=op.f('fk_change_ci_ci_id_configuration_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('change_id', 'ci_id', name=op.f('pk_change_ci'))
    )
    op.create_index(op.f('ix_change_ci_ci_id'), 'change_ci', ['ci_id'], unique=False)



def downgrade() -> None:
    if not _sqlite():
        for column in _MANAGER_COLUMNS:
            op.drop_constraint(_manager_fk_name(column), 'organisation', type_='foreignkey')
    op.drop_table('change_ci')
    op.drop_table('problem_call')
    op.drop_table('outbox')
    op.drop_table('ci_relation')
    op.drop_table('change')
    op.drop_table('call_pause')
    op.drop_table('call_history')
    op.drop_table('call_ci')
    op.drop_table('escalation_contact')
    op.drop_table('configuration_item')
    op.drop_table('call')
    op.drop_table('problem')
    op.drop_table('person')
    op.drop_table('operator_role')
    op.drop_table('operator')
    op.drop_table('department')
    op.drop_table('organisation')
    op.drop_table('number_sequence')
    op.drop_table('category')
