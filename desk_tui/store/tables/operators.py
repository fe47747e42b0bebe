"""Servicedesk operators and their roles."""

import uuid
from datetime import datetime

from sqlmodel import Field

from desk_tui.store.enums import OperatorRole, SupportLine
from desk_tui.store.tables.base import Record, StoreModel, enum_column, instant, reference
from desk_tui.store.types import StrEnumType


class Operator(Record, table=True):
    """Someone who works in the console: agent, specialist, manager, administrator."""

    __tablename__ = "operator"

    login: str = Field(max_length=100, unique=True)
    display_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40)
    line: SupportLine = enum_column(SupportLine, SupportLine.EERSTE_LIJN)
    # Contract and information managers belong to a participant; desk staff have none.
    organisation_id: uuid.UUID | None = reference("organisation.id", ondelete="SET NULL")
    # "scrypt$N$r$p$salt$hash" (services/identity.py); never the PIN itself.
    pin_hash: str | None = Field(default=None, max_length=255)
    # Wrong PINs since pin_failures_since; the fifth within 15 minutes sets locked_until.
    failed_pin_attempts: int = 0
    locked_until: datetime | None = instant()
    active: bool = True
    pin_failures_since: datetime | None = instant()  # last: added by a later migration


class OperatorRoleGrant(StoreModel, table=True):
    """One role of one operator; a table, so "who is on call" is a plain query."""

    __tablename__ = "operator_role"

    operator_id: uuid.UUID = Field(
        primary_key=True, foreign_key="operator.id", ondelete="CASCADE"
    )
    role: OperatorRole = Field(primary_key=True, sa_type=StrEnumType(OperatorRole), index=True)
