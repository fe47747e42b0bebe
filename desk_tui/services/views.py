"""Plain, immutable results that services hand to the UI (never live ORM objects)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import Handler, SlaClock, SlaEngine
from desk_tui.store.enums import OPEN_CALL_STATUSES as OPEN_STATUSES
from desk_tui.store.enums import CallStatus as Status
from desk_tui.store.enums import SupportLine

if TYPE_CHECKING:
    from desk_tui.services.access import Actor

__all__ = [
    "OPEN_STATUSES", "FirstQueue", "QueueFilter", "QueueRow", "QueueSort", "Status", "SupportLine",
]


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One open call as the queue shows it; clocks are positions, so the countdown is
    computed when the row is drawn."""

    id: UUID
    number: str
    organisation: str
    caller: str
    summary: str
    call_type: CallType
    impact: Level | None
    urgency: Level | None
    priority: int | None
    status: Status
    handler: str | None
    line: SupportLine
    handled_by: Handler
    registered_at: datetime
    reaction_due: datetime | None
    resolution_due: datetime | None
    reaction: SlaClock
    resolution: SlaClock | None
    # The version the row was read at: taking the call from the queue is refused when
    # someone changed it since (None: unknown, as in the first queue read at start).
    version: int | None = None
    crisis: bool = False  # a call of a municipality in crisis (GRIP 3+): sorts first


class QueueSort(StrEnum):
    DUE = "due"  # the first target to run out comes first
    PRIORITY = "priority"
    REGISTERED = "registered"
    ORGANISATION = "organisation"


@dataclass(frozen=True, slots=True)
class QueueFilter:
    mine: bool = False
    unassigned: bool = False
    organisation_id: uuid.UUID | None = None
    priority: int | None = None
    breached: bool = False
    waiting: bool = False
    text: str = ""
    sort: QueueSort = QueueSort.DUE
    limit: int = 2_000


@dataclass(frozen=True, slots=True)
class FirstQueue:
    """The operator, their queue, and the engine and clock its countdowns tick on: the
    console's first queue (services/first_queue.py reads it)."""

    actor: Actor
    rows: list[QueueRow]
    query: QueueFilter
    sla: SlaEngine
    clock: Callable[[], datetime]
