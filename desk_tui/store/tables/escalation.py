"""What priority 1 incidents bring along (SPEC 5): the evaluation appointment."""

import uuid
from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field

from desk_tui.store.tables.base import Record, instant


class P1Evaluation(Record, table=True):
    """Every priority 1 incident is followed by an evaluation with the participant; it is
    tracked from the moment the call becomes P1 until it has been held."""

    __tablename__ = "p1_evaluation"

    call_id: uuid.UUID = Field(foreign_key="call.id", ondelete="CASCADE", unique=True)
    planned_for: datetime | None = instant()
    with_whom: str | None = Field(default=None, max_length=200)
    held_at: datetime | None = instant()
    summary: str | None = Field(default=None, sa_type=Text)
