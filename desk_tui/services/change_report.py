"""Changes and problems per participant per month (SPEC 9): lead times met or missed per
kind of change, and problems opened and resolved."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlmodel import Session

from desk_tui.domain.availability import month_bounds
from desk_tui.domain.changes import ChangeKind
from desk_tui.domain.sla import SlaEngine
from desk_tui.services.access import Action, Actor, require
from desk_tui.store.enums import ChangeStatus
from desk_tui.store.models import Change, Problem
from desk_tui.store.numbers import ReferenceKind, format_reference


@dataclass
class KindTally:
    kind: ChangeKind
    registered: int = 0
    refused: int = 0
    met: int = 0
    missed: int = 0
    running: int = 0
    missed_references: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ChangeReport:
    month: date
    kinds: tuple[KindTally, ...]
    problems_opened: int
    problems_resolved: int


def monthly_changes(
    *, session: Session, actor: Actor, sla: SlaEngine, organisation_id: uuid.UUID,
    month: date, now: datetime,
) -> ChangeReport:
    """Changes registered in the month: against the lead time (standard kinds), the
    reaction (emergency) or the agreed date (non-standard)."""
    require(actor, Action.REPORT_READ, organisation_id)
    start, end = month_bounds(month, sla.calendars.config.zone)
    changes = session.execute(
        select(Change)
        .where(Change.organisation_id == organisation_id, Change.registered_at >= start,
               Change.registered_at < end)
        .order_by(Change.registered_at)
    ).scalars().all()
    tallies: dict[ChangeKind, KindTally] = {}
    for change in changes:
        tally = tallies.setdefault(change.kind, KindTally(change.kind))
        tally.registered += 1
        if change.status is ChangeStatus.GEWEIGERD:
            tally.refused += 1
            continue
        due = change.lead_time_due or change.reaction_due or change.planned_for
        done = change.implemented_at
        if due is None:
            tally.running += 1
        elif done is not None:
            if done <= due:
                tally.met += 1
            else:
                tally.missed += 1
                tally.missed_references.append(_reference(change))
        elif now > due:
            tally.missed += 1
            tally.missed_references.append(_reference(change))
        else:
            tally.running += 1

    def count(column: object) -> int:
        return session.execute(
            select(func.count()).select_from(Problem)
            .where(Problem.organisation_id == organisation_id, column >= start, column < end)
        ).scalar_one()

    return ChangeReport(
        month=month.replace(day=1),
        kinds=tuple(sorted(tallies.values(), key=lambda t: list(ChangeKind).index(t.kind))),
        problems_opened=count(Problem.opened_at),
        problems_resolved=count(Problem.resolved_at),
    )


def _reference(change: Change) -> str:
    return format_reference(ReferenceKind.CHANGE, change.site, change.year, change.number)
