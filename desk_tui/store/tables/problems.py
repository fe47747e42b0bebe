"""Problems: bundles of similar calls whose cause is investigated (SPEC 7)."""

import uuid
from datetime import datetime

from sqlalchemy import Column, Integer, SmallInteger, Text, UniqueConstraint
from sqlmodel import Field

from desk_tui.store.enums import ProblemStatus
from desk_tui.store.tables.base import (
    CENTRAL_SITE,
    Record,
    StoreModel,
    enum_column,
    instant,
    reference,
)
from desk_tui.store.types import UtcDateTime, utcnow

_problem_version = Column("version", Integer, nullable=False)


class Problem(Record, table=True):
    __tablename__ = "problem"
    __table_args__ = (UniqueConstraint("site", "year", "number"),)
    __mapper_args__ = {"version_id_col": _problem_version}  # noqa: RUF012

    site: str = Field(default=CENTRAL_SITE, max_length=16)
    year: int = Field(sa_type=SmallInteger)
    number: int
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=Text)
    status: ProblemStatus = enum_column(ProblemStatus, ProblemStatus.OPEN, index=True)
    manager_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL")
    organisation_id: uuid.UUID | None = reference("organisation.id")
    root_cause: str | None = Field(default=None, sa_type=Text)
    workaround: str | None = Field(default=None, sa_type=Text)
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    resolved_at: datetime | None = instant()
    closed_at: datetime | None = instant()
    version: int = Field(default=1, sa_column=_problem_version)


class ProblemCall(StoreModel, table=True):
    """A call bundled into a problem."""

    __tablename__ = "problem_call"

    problem_id: uuid.UUID = Field(primary_key=True, foreign_key="problem.id", ondelete="CASCADE")
    call_id: uuid.UUID = Field(
        primary_key=True, foreign_key="call.id", ondelete="CASCADE", index=True
    )
    linked_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    linked_by_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL", index=False)
