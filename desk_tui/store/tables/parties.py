"""Participating organisations, their departments, people and escalation contacts."""

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, SmallInteger, UniqueConstraint
from sqlmodel import Field

from desk_tui.store.enums import EscalationSide
from desk_tui.store.tables.base import Record, enum_column, instant, reference


class Organisation(Record, table=True):
    """A participant under the SLA (or the servicedesk's own organisation)."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(
            "contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start",
            name="contract_period",
        ),
    )

    name: str = Field(max_length=200, unique=True)
    code: str = Field(max_length=16, unique=True)  # short code shown in the queue
    contract_start: date | None = None
    contract_end: date | None = None
    # person.organisation_id points back here: the cycle is closed with ALTER on PostgreSQL.
    contract_manager_id: uuid.UUID | None = reference(
        "person.id", ondelete="SET NULL", index=False, use_alter=True
    )
    information_manager_id: uuid.UUID | None = reference(
        "person.id", ondelete="SET NULL", index=False, use_alter=True
    )
    evening_opening: bool = False  # has on-call service in the evening
    # SPEC 11: personal data is made inaccessible within 3 months after the contract ends.
    personal_data_sealed_at: datetime | None = instant()
    active: bool = True
    # The language of desk's mail to its people, unless a person has their own.
    language: str = Field(default="nl", max_length=2, sa_column_kwargs={"server_default": "nl"})


class Department(Record, table=True):
    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    organisation_id: uuid.UUID = reference("organisation.id", ondelete="CASCADE", index=False)
    name: str = Field(max_length=200)
    # SPEC 6: personnel requests only from departments the participant designated.
    personnel_requests_allowed: bool = False
    active: bool = True


class Person(Record, table=True):
    """A caller or contact at a participant."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("organisation_id", "login"),)

    organisation_id: uuid.UUID = reference("organisation.id")
    department_id: uuid.UUID | None = reference("department.id", ondelete="SET NULL")
    name: str = Field(max_length=200, index=True)
    phone: str | None = Field(default=None, max_length=40, index=True)
    email: str | None = Field(default=None, max_length=320, index=True)
    login: str | None = Field(default=None, max_length=100)
    job_title: str | None = Field(default=None, max_length=200)
    is_hr_submitter: bool = False  # designated to submit personnel-related requests
    is_department_head: bool = False  # may have users blocked or unblocked, through HR
    active: bool = True
    language: str | None = Field(default=None, max_length=2)  # None: the organisation's


class EscalationContact(Record, table=True):
    """One rung of the hierarchical ladder for one organisation (SPEC 5)."""

    __tablename__ = "escalation_contact"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
        Index("ix_escalation_contact_organisation_level", "organisation_id", "level"),
    )

    organisation_id: uuid.UUID = reference("organisation.id", ondelete="CASCADE", index=False)
    level: int = Field(sa_type=SmallInteger)
    side: EscalationSide = enum_column(EscalationSide)
    role_title: str = Field(max_length=200)
    person_id: uuid.UUID | None = reference("person.id", ondelete="SET NULL")
    person_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=320)
    sort_order: int = 0
