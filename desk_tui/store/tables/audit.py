"""Who may do what (role_permission), the hash-chained audit log, and the data-breach
protocol of security incidents (SPEC 11)."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, SmallInteger, Text, UniqueConstraint
from sqlmodel import Field

from desk_tui.store.enums import BreachStep, OperatorRole
from desk_tui.store.tables.base import Record, StoreModel, enum_column, instant, reference
from desk_tui.store.types import StrEnumType, UtcDateTime, new_id, utcnow

GENESIS_HASH = "0" * 64  # the link before the first row of the audit log


class RolePermission(StoreModel, table=True):
    """One action one role grants; an action absent here is refused (default deny)."""

    __tablename__ = "role_permission"

    role: OperatorRole = Field(primary_key=True, sa_type=StrEnumType(OperatorRole))
    action: str = Field(primary_key=True, max_length=64)


class AuditEntry(StoreModel, table=True):
    """One write, read of personal data or refusal. Append-only (triggers refuse UPDATE
    and DELETE); `hash` covers the row's content and `prev_hash`, so an altered or removed
    row breaks the chain `desk audit verify` walks."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    seq: int = Field(
        sa_column=Column(BigInteger, primary_key=True, autoincrement=False)
    )
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    actor_id: uuid.UUID | None = None  # no foreign key: the trail outlives the operator
    actor_login: str = Field(max_length=100)
    event: str = Field(max_length=16)  # insert, update, delete, execute, read, refused, prune
    table_name: str = Field(max_length=64)
    row_key: str = Field(default="", max_length=200)
    detail: str = Field(default="", sa_type=Text)  # canonical JSON, hashed as stored
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(StoreModel, table=True):
    """The chain's one head row: the last seq and hash (locked FOR UPDATE on PostgreSQL so
    concurrent writers append in turn), and the anchor left by pruning."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, sa_column=Column(SmallInteger, primary_key=True))
    seq: int = Field(default=0, sa_type=BigInteger)
    hash: str = Field(default=GENESIS_HASH, max_length=64)
    anchor_seq: int = Field(default=0, sa_type=BigInteger)  # rows up to here were pruned
    anchor_hash: str = Field(default=GENESIS_HASH, max_length=64)


class SecurityIncident(Record, table=True):
    """A call declared a security incident (data breach): the protocol's steps and the
    72-hour notification clock from the moment of discovery."""

    __tablename__ = "security_incident"

    call_id: uuid.UUID = Field(foreign_key="call.id", ondelete="CASCADE", unique=True)
    discovered_at: datetime = Field(sa_type=UtcDateTime)
    declared_by_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL", index=False)
    personal_data: bool = True  # personal data involved: the supervisor must be told


class SecurityIncidentStep(StoreModel, table=True):
    """One step of the breach protocol; open until `done_at` is set."""

    __tablename__ = "security_incident_step"
    __table_args__ = (UniqueConstraint("incident_id", "step"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    incident_id: uuid.UUID = reference("security_incident.id", ondelete="CASCADE", index=False)
    step: BreachStep = enum_column(BreachStep)
    position: int = Field(sa_type=SmallInteger)
    done_at: datetime | None = instant()
    done_by_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL", index=False)
    note: str | None = Field(default=None, sa_type=Text)


__all__ = [
    "GENESIS_HASH",
    "AuditEntry",
    "AuditHead",
    "RolePermission",
    "SecurityIncident",
    "SecurityIncidentStep",
]
