"""Crisis mode (SPEC 10): GRIP levels per municipality and the contacts a crisis needs."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, SmallInteger, Text, text
from sqlmodel import Field

from desk_tui.store.tables.base import Record, enum_column, instant, reference
from desk_tui.store.types import UtcDateTime, utcnow


class CrisisContactKind(StrEnum):
    CRISIS_LINE = "crisislijn"  # the 24/7 crisis number of the municipality / safety region
    OOV = "oov"  # public order and safety (openbare orde en veiligheid)


class CrisisContact(Record, table=True):
    """Who to ring in a crisis for one organisation: its 24/7 crisis number and its
    public-order-and-safety (OOV) officers, kept apart from the escalation ladder."""

    __tablename__ = "crisis_contact"

    organisation_id: uuid.UUID = reference("organisation.id", ondelete="CASCADE")
    kind: CrisisContactKind = enum_column(CrisisContactKind, CrisisContactKind.OOV)
    role_title: str = Field(max_length=200)
    name: str | None = Field(default=None, max_length=200)
    phone: str = Field(max_length=40)
    email: str | None = Field(default=None, max_length=320)
    sort_order: int = 0


class GripLevel(Record, table=True):
    """One GRIP level of one organisation for a period. Setting a new level ends the
    current row and starts another, so the rows are the crisis's history; the row with
    no `ended_at` is the level now (at most one per organisation)."""

    __tablename__ = "grip_level"
    __table_args__ = (
        CheckConstraint("level BETWEEN 0 AND 4", name="level_range"),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="period"),
        Index(
            "uq_grip_level_current", "organisation_id", unique=True,
            sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL"),
        ),
    )

    organisation_id: uuid.UUID = reference("organisation.id", ondelete="CASCADE", index=False)
    level: int = Field(sa_type=SmallInteger)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    # When the current run at GRIP 3 or higher began (kept when 3 goes to 4): calls of the
    # organisation registered from then on are crisis calls. None below GRIP 3.
    crisis_since: datetime | None = instant()
    ended_at: datetime | None = instant()
    set_by_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL", index=False)
    ended_by_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL", index=False)
    note: str | None = Field(default=None, sa_type=Text)
