"""Availability per participant per month (SPEC 9): the share of service window 1 in which
no priority 1 incident of that participant was open. The SLA's norm is 99.5 %.

Only time inside the service window counts, on both sides of the fraction: a P1 open over
a weekend costs nothing while the desk is closed, and the month's total is its opening
hours, holidays excluded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from desk_tui.domain.calendar import WorkCalendar

NORM = 0.995

Interval = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class Outage:
    """One stretch of P1 time, clipped to the month, and what it cost in window seconds."""

    start: datetime
    end: datetime
    window_seconds: float
    labels: tuple[str, ...]  # the calls open in it, e.g. their references


@dataclass(frozen=True, slots=True)
class Availability:
    month: date  # the first day of the month
    window_seconds: float
    unavailable_seconds: float
    outages: tuple[Outage, ...]
    norm: float = NORM

    @property
    def share(self) -> float:
        if self.window_seconds <= 0:
            return 1.0
        return 1.0 - self.unavailable_seconds / self.window_seconds

    @property
    def meets_norm(self) -> bool:
        return self.share >= self.norm


def month_bounds(month: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Local midnight at the start of `month` and of the next month."""
    first = month.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return (datetime.combine(first, time(), zone), datetime.combine(following, time(), zone))


def availability(
    calendar: WorkCalendar, month: date, zone: ZoneInfo,
    intervals: Iterable[tuple[datetime, datetime | None, str]], now: datetime | None = None,
) -> Availability:
    """Availability in `month` given P1 intervals (start, end or None while still open,
    label). Overlapping incidents count once."""
    start, end = month_bounds(month, zone)
    limit = end if now is None else min(end, max(now, start))
    clipped: list[tuple[datetime, datetime, str]] = []
    for begin, finish, label in intervals:
        # In local time: the report shows them as wall-clock times of the participant.
        stop = (limit if finish is None else min(finish, limit)).astimezone(zone)
        begin = max(begin, start).astimezone(zone)
        if stop > begin:
            clipped.append((begin, stop, label))
    outages = tuple(
        Outage(a, b, calendar.between(a, b), labels) for a, b, labels in _merge(clipped)
    )
    return Availability(
        month=month.replace(day=1),
        window_seconds=calendar.between(start, end),
        unavailable_seconds=sum(outage.window_seconds for outage in outages),
        outages=outages,
    )


def _merge(
    intervals: Sequence[tuple[datetime, datetime, str]],
) -> list[tuple[datetime, datetime, tuple[str, ...]]]:
    merged: list[tuple[datetime, datetime, tuple[str, ...]]] = []
    for begin, finish, label in sorted(intervals):
        if merged and begin <= merged[-1][1]:
            last_begin, last_end, labels = merged[-1]
            merged[-1] = (last_begin, max(last_end, finish), (*labels, label))
        else:
            merged.append((begin, finish, (label,)))
    return merged
