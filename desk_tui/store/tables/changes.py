"""Changes: standard kinds with lead times, non-standard planned ones, emergencies (SPEC 6)."""

import uuid
from datetime import datetime

from sqlalchemy import Column, Integer, SmallInteger, Text, UniqueConstraint
from sqlmodel import Field

from desk_tui.domain.changes import ChangeKind, VersionChange
from desk_tui.store.enums import ChangeStatus
from desk_tui.store.tables.base import (
    CENTRAL_SITE,
    Record,
    StoreModel,
    enum_column,
    instant,
    reference,
)
from desk_tui.store.types import UtcDateTime, utcnow

_change_version = Column("version", Integer, nullable=False)


class Change(Record, table=True):
    """A change; `version` is the row version for optimistic concurrency, `release_from`
    and `release_to` the software versions an upgrade/update/patch moves between."""

    __tablename__ = "change"
    __table_args__ = (UniqueConstraint("site", "year", "number"),)
    __mapper_args__ = {"version_id_col": _change_version}  # noqa: RUF012

    site: str = Field(default=CENTRAL_SITE, max_length=16)
    year: int = Field(sa_type=SmallInteger)
    number: int
    kind: ChangeKind = enum_column(ChangeKind, index=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=Text)
    status: ChangeStatus = enum_column(ChangeStatus, ChangeStatus.AANGEVRAAGD, index=True)
    organisation_id: uuid.UUID | None = reference("organisation.id")
    requester_id: uuid.UUID | None = reference("person.id")
    call_id: uuid.UUID | None = reference("call.id", ondelete="SET NULL")  # the request
    problem_id: uuid.UUID | None = reference("problem.id", ondelete="SET NULL")  # the fix of
    assignee_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL")
    emergency: bool = False
    release_from: str | None = Field(default=None, max_length=50)
    release_to: str | None = Field(default=None, max_length=50)
    release_change: VersionChange | None = enum_column(VersionChange)
    registered_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, index=True)
    planned_for: datetime | None = instant()
    reaction_due: datetime | None = instant()
    lead_time_due: datetime | None = instant()
    own_part_due: datetime | None = instant()
    approved_at: datetime | None = instant()
    implemented_at: datetime | None = instant()
    closed_at: datetime | None = instant()
    refusal_reason: str | None = Field(default=None, sa_type=Text)
    version: int = Field(default=1, sa_column=_change_version)


class ChangeCi(StoreModel, table=True):
    """A configuration item a change touches."""

    __tablename__ = "change_ci"

    change_id: uuid.UUID = Field(primary_key=True, foreign_key="change.id", ondelete="CASCADE")
    ci_id: uuid.UUID = Field(
        primary_key=True, foreign_key="configuration_item.id", ondelete="CASCADE", index=True
    )
