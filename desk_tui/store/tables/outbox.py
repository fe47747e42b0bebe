"""Mail waiting to be sent: written in the same transaction as the change it reports."""

import uuid
from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field

from desk_tui.store.tables.base import StoreModel, instant, reference
from desk_tui.store.types import UtcDateTime, new_id, utcnow


class OutboxMessage(StoreModel, table=True):
    """One mail; `dedupe_key` (e.g. "call-registered:<call id>") makes a retried save
    queue it only once."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "next_attempt_at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    dedupe_key: str = Field(max_length=200, unique=True)
    recipient: str = Field(max_length=320)
    subject: str = Field(max_length=300)
    body: str = Field(sa_type=Text)
    language: str = Field(default="nl", max_length=2)
    call_id: uuid.UUID | None = reference("call.id", ondelete="SET NULL")
    sent_at: datetime | None = instant()
    attempts: int = 0
    next_attempt_at: datetime | None = instant()
    last_error: str | None = Field(default=None, sa_type=Text)
