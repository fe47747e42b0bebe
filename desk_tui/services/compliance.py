"""SLA compliance per participant per month (SPEC 9): for the calls registered in the
month, per call type and priority, how many met or missed their reaction and resolution
targets, the average and worst work time used (waiting time excluded), and the calls that
missed. Clocks come from the same engine the console counts down with."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, select
from sqlmodel import Session

from desk_tui.domain.availability import month_bounds
from desk_tui.domain.calendar import Pause
from desk_tui.domain.classification import CallType
from desk_tui.domain.sla import CallSla, SlaClock, SlaEngine
from desk_tui.services.access import Action, Actor, require
from desk_tui.store.models import Call, CallPause
from desk_tui.store.numbers import ReferenceKind, format_reference


@dataclass(frozen=True, slots=True)
class Missed:
    reference: str
    target: str  # "reaction" or "resolution"
    over_seconds: float  # work seconds beyond the target (so far, when still open)
    subject: str


@dataclass
class TargetTally:
    """Met / missed / still running for one target, and the work time used when done."""

    met: int = 0
    missed: int = 0
    running: int = 0
    used: list[float] = field(default_factory=list)

    @property
    def average_seconds(self) -> float | None:
        return sum(self.used) / len(self.used) if self.used else None

    @property
    def worst_seconds(self) -> float | None:
        return max(self.used) if self.used else None

    def count(self, clock: SlaClock, positions: dict, stopped: bool) -> bool:
        """Tally one clock; True when it missed."""
        now = positions[clock.kind]
        remaining = clock.remaining_at(now)
        if stopped:
            self.used.append(clock.target_s - remaining)
            if remaining >= 0:
                self.met += 1
                return False
            self.missed += 1
            return True
        if remaining < 0:
            self.missed += 1
            return True
        self.running += 1
        return False


@dataclass
class ComplianceRow:
    call_type: CallType
    priority: int | None
    calls: int = 0
    reaction: TargetTally = field(default_factory=TargetTally)
    resolution: TargetTally = field(default_factory=TargetTally)


@dataclass(frozen=True)
class Compliance:
    month: date
    rows: tuple[ComplianceRow, ...]
    missed: tuple[Missed, ...]


# The columns the clocks need: loading whole ORM objects took most of a report's time
# (bench/reports.py: 27k calls, 2.4 s of 3.8 s).
CLOCK_FACTS = (Call.id, Call.call_type, Call.impact, Call.urgency, Call.registered_at,
               Call.reacted_at, Call.resolved_at)
_FACTS = (*CLOCK_FACTS, Call.site, Call.year, Call.number, Call.subject, Call.priority)


def planned_calls(
    session: Session, sla: SlaEngine, organisation_id: uuid.UUID, start: datetime,
    end: datetime, columns: tuple[Any, ...] = _FACTS,
) -> list[tuple[Row[Any], CallSla]]:
    """The participant's calls registered in [start, end), oldest first, each with its
    clocks planned as the console plans them (waiting periods hold resolution).
    `columns` beyond CLOCK_FACTS come along for the caller."""
    scope = (Call.organisation_id == organisation_id, Call.registered_at >= start,
             Call.registered_at < end)
    rows = session.execute(select(*columns).where(*scope).order_by(Call.registered_at)).all()
    pauses: dict[uuid.UUID, list[Pause]] = defaultdict(list)
    for call_id, began, ended in session.execute(  # one statement, not one per 500 calls
        select(CallPause.call_id, CallPause.started_at, CallPause.ended_at)
        .where(CallPause.call_id.in_(select(Call.id).where(*scope)))
        .order_by(CallPause.started_at)
    ):
        pauses[call_id].append((began, ended))
    zone = sla.calendars.config.zone
    return [
        (row, sla.plan_call(row.registered_at.astimezone(zone), row.call_type, row.impact,
                            row.urgency, pauses.get(row.id, ()), reacted=row.reacted_at,
                            resolved=row.resolved_at))
        for row in rows
    ]


def monthly_compliance(
    *, session: Session, actor: Actor, sla: SlaEngine, organisation_id: uuid.UUID,
    month: date, now: datetime,
) -> Compliance:
    require(actor, Action.REPORT_READ, organisation_id)
    start, end = month_bounds(month, sla.calendars.config.zone)
    positions = sla.now_positions(now)
    rows: dict[tuple[CallType, int | None], ComplianceRow] = {}
    missed: list[Missed] = []
    for call, plan in planned_calls(session, sla, organisation_id, start, end):
        key = (call.call_type, call.priority)
        row = rows.setdefault(key, ComplianceRow(call.call_type, call.priority))
        row.calls += 1
        if row.reaction.count(plan.reaction, positions, call.reacted_at is not None):
            missed.append(_missed(call, "reaction", plan.reaction, positions))
        if plan.resolution is not None and row.resolution.count(
            plan.resolution, positions, call.resolved_at is not None
        ):
            missed.append(_missed(call, "resolution", plan.resolution, positions))
    ordered = sorted(rows.values(), key=lambda r: (r.call_type.value, r.priority or 9))
    return Compliance(month.replace(day=1), tuple(ordered), tuple(missed))


def _missed(call: Row[Any], target: str, clock: SlaClock, positions: dict) -> Missed:
    reference = format_reference(ReferenceKind.CALL, call.site, call.year, call.number)
    return Missed(reference, target, -clock.remaining_at(positions[clock.kind]), call.subject)
