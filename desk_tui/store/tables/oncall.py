"""The evening on-call service's handover to the next morning (SPEC 4)."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field

from desk_tui.store.tables.base import Record, instant, reference
from desk_tui.store.types import UtcDateTime


class OnCallHandover(Record, table=True):
    """What one evening's on-call left open at closing time, and what it did: shown to
    the morning shift until someone acknowledges it. One per evening."""

    __tablename__ = "on_call_handover"

    evening: date = Field(unique=True)  # the local date of the on-call window
    handed_over_at: datetime = Field(sa_type=UtcDateTime)
    operator_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL", index=False)
    open_count: int = 0
    done_count: int = 0
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    acknowledged_at: datetime | None = instant()
    acknowledged_by_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL",
                                                     index=False)
