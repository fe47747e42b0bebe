"""Work queues (SPEC 9): open calls per organisation, line, handler and age, and the
bottlenecks — the oldest calls and those furthest past a target. Live: computed from the
open queue at the moment it is asked for."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from desk_tui.domain.sla import SlaEngine
from desk_tui.services.access import Action, Actor, require
from desk_tui.services.queries import open_queue
from desk_tui.services.views import QueueFilter, QueueRow

WORK_DAY = 8 * 3600.0
# Age in work days: up to 1, 1–3, 3–10, more.
AGE_BANDS: tuple[tuple[str, float], ...] = (
    ("< 1 dag", 1), ("1–3 dagen", 3), ("3–10 dagen", 10), ("> 10 dagen", float("inf")),
)
UNASSIGNED = "(niemand)"


@dataclass(frozen=True, slots=True)
class Bottleneck:
    row: QueueRow
    age_seconds: float  # work seconds since registration
    over_seconds: float  # work seconds past the first target missed; 0 when none


@dataclass(frozen=True)
class Workload:
    at: datetime
    total: int
    by_organisation: dict[str, int]
    by_line: dict[str, int]
    by_handler: dict[str, int]
    by_age: dict[str, int]
    breached: int
    oldest: tuple[Bottleneck, ...]
    most_overdue: tuple[Bottleneck, ...]


def work_queues(
    *, session: Session, actor: Actor, sla: SlaEngine, now: datetime,
    organisation_id: uuid.UUID | None = None, top: int = 10,
) -> Workload:
    require(actor, Action.REPORT_READ, organisation_id)
    if organisation_id is None and not actor.sees_all_organisations:
        organisation_id = actor.organisation_id
    rows = open_queue(session=session, actor=actor, sla=sla, now=now,
                      query=QueueFilter(organisation_id=organisation_id, limit=1_000_000))
    positions = sla.now_positions(now)
    service = sla.calendars.service
    items = []
    for row in rows:
        clocks = [row.reaction] if row.reaction.held_at is None else []
        if row.resolution is not None:
            clocks.append(row.resolution)
        overdue = max(
            (-countdown.remaining_s for countdown in sla.countdowns(clocks, positions)),
            default=0.0,
        )
        age = service.between(row.registered_at, now)
        items.append(Bottleneck(row, age, max(overdue, 0.0)))
    by_age: Counter[str] = Counter({band: 0 for band, _ in AGE_BANDS})
    for item in items:
        days = item.age_seconds / WORK_DAY
        by_age[next(band for band, limit in AGE_BANDS if days < limit)] += 1
    return Workload(
        at=now,
        total=len(items),
        by_organisation=dict(Counter(row.organisation for row in rows).most_common()),
        by_line=dict(Counter(row.line.value for row in rows).most_common()),
        by_handler=dict(Counter(row.handler or UNASSIGNED for row in rows).most_common()),
        by_age=dict(by_age),
        breached=sum(1 for item in items if item.over_seconds > 0),
        oldest=tuple(sorted(items, key=lambda i: -i.age_seconds)[:top]),
        most_overdue=tuple(
            sorted((i for i in items if i.over_seconds > 0), key=lambda i: -i.over_seconds)[:top]
        ),
    )
