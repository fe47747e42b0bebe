"""Calls (meldingen), their categories, history, pauses and linked CIs."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Index, Integer, SmallInteger, Text, UniqueConstraint
from sqlmodel import Field

from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import Handler
from desk_tui.store.enums import CallStatus, Channel, HistoryField, SupportLine
from desk_tui.store.tables.base import (
    CENTRAL_SITE,
    Record,
    StoreModel,
    enum_column,
    instant,
    reference,
)
from desk_tui.store.types import UtcDateTime, new_id, utcnow


class Category(Record, table=True):
    """What a call is about; the SLA suggests an urgency per category (SPEC 2)."""

    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    name: str = Field(max_length=200)
    parent_id: uuid.UUID | None = reference("category.id", ondelete="RESTRICT")
    suggested_urgency: Level | None = enum_column(Level)
    active: bool = True
    sort_order: int = 0


_call_version = Column("version", Integer, nullable=False)


class Call(Record, table=True):
    """One contact with the desk. `version` rises on every ORM update, so a save based on
    a stale read fails (StaleDataError) instead of overwriting another operator's work."""

    __tablename__ = "call"
    __table_args__ = (
        # The human number is unique per site and year: an offline site numbers its own
        # calls, and a later merge keeps every (site, year, number) distinct.
        UniqueConstraint("site", "year", "number"),
        CheckConstraint("priority IS NULL OR priority BETWEEN 1 AND 5", name="priority_range"),
        CheckConstraint("escalation_level BETWEEN 0 AND 5", name="escalation_level_range"),
    )
    __mapper_args__ = {"version_id_col": _call_version}  # noqa: RUF012

    site: str = Field(default=CENTRAL_SITE, max_length=16)
    year: int = Field(sa_type=SmallInteger)
    number: int = Field(index=True)
    call_type: CallType = enum_column(CallType, CallType.STORING)
    channel: Channel = enum_column(Channel, Channel.TELEFOON)
    caller_id: uuid.UUID | None = reference("person.id")
    organisation_id: uuid.UUID = reference("organisation.id")
    department_id: uuid.UUID | None = reference("department.id", ondelete="SET NULL", index=False)
    category_id: uuid.UUID | None = reference("category.id")
    subject: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_type=Text)
    impact: Level | None = enum_column(Level)
    urgency: Level | None = enum_column(Level)
    priority: int | None = Field(default=None, sa_type=SmallInteger, index=True)
    status: CallStatus = enum_column(CallStatus, CallStatus.GEREGISTREERD, index=True)
    handler_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL")
    line: SupportLine = enum_column(SupportLine, SupportLine.EERSTE_LIJN)
    supplier: str | None = Field(default=None, max_length=200)  # the 3rd line, if any
    supplier_reference: str | None = Field(default=None, max_length=100)
    handled_by: Handler = enum_column(Handler, Handler.DESK)
    escalation_level: int = Field(default=0, sa_type=SmallInteger)  # 0: not escalated
    registered_by_id: uuid.UUID | None = reference(
        "operator.id", ondelete="SET NULL", index=False
    )
    registered_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, index=True)
    reaction_due: datetime | None = instant()
    resolution_due: datetime | None = instant()
    reacted_at: datetime | None = instant()
    resolved_at: datetime | None = instant()
    closed_at: datetime | None = instant()
    solution: str | None = Field(default=None, sa_type=Text)
    version: int = Field(default=1, sa_column=_call_version)


class CallHistory(StoreModel, table=True):
    """One change of a call's status, priority, handler, line (...): who and when."""

    __tablename__ = "call_history"
    __table_args__ = (Index("ix_call_history_call_at", "call_id", "at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    call_id: uuid.UUID = reference("call.id", ondelete="CASCADE", index=False)
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    operator_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL", index=False)
    field: HistoryField = enum_column(HistoryField)
    old_value: str | None = Field(default=None, max_length=200)
    new_value: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, sa_type=Text)


class CallPause(Record, table=True):
    """A period the call waited on the caller or a third party; stops the resolution clock."""

    __tablename__ = "call_pause"
    __table_args__ = (
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="period"),
    )

    call_id: uuid.UUID = reference("call.id", ondelete="CASCADE")
    started_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    ended_at: datetime | None = instant()
    reason: str = Field(default="", max_length=500)
    operator_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL", index=False)


class CallCi(StoreModel, table=True):
    """A configuration item a call concerns."""

    __tablename__ = "call_ci"

    call_id: uuid.UUID = Field(primary_key=True, foreign_key="call.id", ondelete="CASCADE")
    ci_id: uuid.UUID = Field(
        primary_key=True, foreign_key="configuration_item.id", ondelete="CASCADE", index=True
    )
    linked_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
