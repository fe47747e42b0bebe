"""What the reports screen reads: one month of one participant (availability, SLA
compliance, changes) in one transaction, and the last 12 months as a series for the plots.

The series reads each table once for the whole span, not once per month: twelve monthly
reports would repeat the P1 replay and the call scan twelve times.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from desk_tui.domain.availability import NORM, Availability, availability, month_bounds
from desk_tui.domain.sla import SlaEngine
from desk_tui.services.access import Action, Actor, require
from desk_tui.services.availability import monthly_availability, p1_intervals
from desk_tui.services.change_report import ChangeReport, monthly_changes
from desk_tui.services.compliance import (
    CLOCK_FACTS,
    Compliance,
    TargetTally,
    monthly_compliance,
    planned_calls,
)

SERIES_MONTHS = 12


@dataclass(frozen=True)
class ReportMonth:
    """The three monthly reports of one participant."""

    organisation_id: uuid.UUID
    month: date
    availability: Availability
    compliance: Compliance
    changes: ChangeReport


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One point of each plot: availability, share of targets met, calls registered."""

    month: date
    availability: float
    calls: int
    targets_met: int
    targets_missed: int
    norm: float = NORM

    @property
    def compliance(self) -> float | None:
        """Targets met of those decided (met or missed); None when none was decided."""
        decided = self.targets_met + self.targets_missed
        return self.targets_met / decided if decided else None


def report_month(
    *, session: Session, actor: Actor, sla: SlaEngine, organisation_id: uuid.UUID,
    month: date, now: datetime,
) -> ReportMonth:
    scope = dict(session=session, actor=actor, sla=sla, organisation_id=organisation_id,
                 month=month, now=now)
    return ReportMonth(
        organisation_id=organisation_id,
        month=month.replace(day=1),
        availability=monthly_availability(**scope),  # type: ignore[arg-type]
        compliance=monthly_compliance(**scope),  # type: ignore[arg-type]
        changes=monthly_changes(**scope),  # type: ignore[arg-type]
    )


def months_up_to(last: date, count: int = SERIES_MONTHS) -> list[date]:
    """The `count` calendar months ending with `last`, oldest first."""
    index = last.year * 12 + last.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def monthly_series(
    *, session: Session, actor: Actor, sla: SlaEngine, organisation_id: uuid.UUID,
    last_month: date, now: datetime, months: int = SERIES_MONTHS,
) -> tuple[MonthFigures, ...]:
    require(actor, Action.REPORT_READ, organisation_id)
    zone = sla.calendars.config.zone
    span = months_up_to(last_month, months)
    start, end = month_bounds(span[0], zone)[0], month_bounds(span[-1], zone)[1]
    intervals = p1_intervals(session, organisation_id, start, end)
    positions = sla.now_positions(now)
    counted: dict[date, int] = defaultdict(int)
    tallies: dict[date, TargetTally] = defaultdict(TargetTally)
    for call, plan in planned_calls(session, sla, organisation_id, start, end,
                                    CLOCK_FACTS):
        month = call.registered_at.astimezone(zone).date().replace(day=1)
        counted[month] += 1
        tally = tallies[month]
        tally.count(plan.reaction, positions, call.reacted_at is not None)
        if plan.resolution is not None:
            tally.count(plan.resolution, positions, call.resolved_at is not None)
    return tuple(
        MonthFigures(
            month=month,
            availability=availability(sla.calendars.service, month, zone, intervals,
                                      now=now).share,
            calls=counted[month],
            targets_met=tallies[month].met,
            targets_missed=tallies[month].missed,
        )
        for month in span
    )

