"""The open-call queue's rows from plain column values, shared by the SQLAlchemy query and
the first queue the console reads with the stdlib sqlite3 driver (services/first_queue.py),
so both paint the same rows. No database library is imported here."""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from desk_tui.domain.calendar import Pause
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import CallSla, Handler, SlaEngine
from desk_tui.services.views import QueueRow, QueueSort, Status, SupportLine


class OpenCall(NamedTuple):
    """What the queue reads of one open call; instants are aware."""

    id: uuid.UUID
    reference: str
    organisation: str
    caller: str | None
    subject: str
    call_type: CallType
    impact: Level | None
    urgency: Level | None
    priority: int | None
    status: Status
    handler: str | None
    line: SupportLine
    handled_by: Handler
    registered_at: datetime
    reacted_at: datetime | None
    resolved_at: datetime | None
    version: int | None = None


# A call's plan depends only on what goes into plan_call, so the queue keeps the plans
# it made, per engine: a filter change or a reload plans only calls that changed.
_PlanKey = tuple[object, ...]
_plans: weakref.WeakKeyDictionary[SlaEngine, dict[_PlanKey, CallSla]] = (
    weakref.WeakKeyDictionary()
)
PLANS_KEPT = 8192  # more than one queue holds (QueueFilter.limit)


def _plan(sla: SlaEngine, call: OpenCall, registered: datetime, pauses: Sequence[Pause]) -> CallSla:
    plans = _plans.get(sla)
    if plans is None:
        plans = _plans.setdefault(sla, {})
    key = (call.registered_at, call.call_type, call.impact, call.urgency, tuple(pauses),
           call.reacted_at, call.resolved_at)
    plan = plans.get(key)
    if plan is None:
        plan = sla.plan_call(
            registered, call.call_type, call.impact, call.urgency, pauses,
            reacted=call.reacted_at, resolved=call.resolved_at,
        )
        if len(plans) >= PLANS_KEPT:
            plans.clear()  # calls long closed; the next reload fills it again
        plans[key] = plan
    return plan


def queue_rows(
    calls: Iterable[OpenCall], pauses: Mapping[uuid.UUID, Sequence[Pause]], *,
    sla: SlaEngine, now: datetime, sort: QueueSort,
    crisis_since: Mapping[str, datetime] | None = None,
) -> list[QueueRow]:
    """Rows with their clocks planned from the pauses, sorted as asked; `crisis_since`
    (organisation code → start of its GRIP 3+ run) marks crisis calls (services/crisis.py)."""
    zone = sla.calendars.config.zone
    crisis_since = crisis_since or {}
    rows = []
    for call in calls:
        registered = call.registered_at.astimezone(zone)
        since = crisis_since.get(call.organisation)
        plan = _plan(sla, call, registered, pauses.get(call.id, ()))
        rows.append(
            QueueRow(
                id=call.id,
                number=call.reference,
                organisation=call.organisation,
                caller=call.caller or "",
                summary=call.subject,
                call_type=call.call_type,
                impact=call.impact,
                urgency=call.urgency,
                priority=call.priority,
                status=call.status,
                handler=call.handler,
                line=call.line,
                handled_by=call.handled_by,
                registered_at=registered,
                reaction_due=plan.reaction_due if call.reacted_at is None else None,
                resolution_due=plan.resolution_due,
                reaction=plan.reaction,
                resolution=plan.resolution,
                version=call.version,
                crisis=since is not None and call.registered_at >= since,
            )
        )
    return sort_queue(rows, sort, sla, now)


def sort_queue(
    rows: list[QueueRow], sort: QueueSort, sla: SlaEngine, now: datetime
) -> list[QueueRow]:
    """Sort by what an operator needs next; ties by registration. Crisis calls come
    first whatever the order chosen (sorted is stable: the order holds within each part)."""
    return sorted(_sorted(rows, sort, sla, now), key=lambda r: not r.crisis)


def _sorted(
    rows: list[QueueRow], sort: QueueSort, sla: SlaEngine, now: datetime
) -> list[QueueRow]:
    if sort is QueueSort.PRIORITY:
        return sorted(rows, key=lambda r: (r.priority or 9, r.registered_at))
    if sort is QueueSort.REGISTERED:
        return sorted(rows, key=lambda r: r.registered_at)
    if sort is QueueSort.ORGANISATION:
        return sorted(rows, key=lambda r: (r.organisation, r.registered_at))
    positions = sla.now_positions(now)

    def first_due(row: QueueRow) -> tuple[float, datetime]:
        clocks = [c for c in (row.reaction, row.resolution) if c is not None and c.held_at is None]
        left = [c.remaining_at(positions[c.kind]) for c in clocks]
        return (min(left) if left else float("inf"), row.registered_at)

    return sorted(rows, key=first_due)
