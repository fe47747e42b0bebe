"""Durations in work time: hours, work days and work weeks, as the SLA states them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

HOUR = 3600.0


class Unit(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"


@dataclass(frozen=True, slots=True)
class WorkTime:
    """An amount of work time; days and weeks depend on the calendar's day and week size."""

    amount: float
    unit: Unit = Unit.HOURS

    def seconds(self, work_day_seconds: float = 8 * HOUR, work_week_days: int = 5) -> float:
        if self.unit is Unit.HOURS:
            return self.amount * HOUR
        if self.unit is Unit.DAYS:
            return self.amount * work_day_seconds
        return self.amount * work_week_days * work_day_seconds

    def __str__(self) -> str:
        amount = f"{self.amount:g}"
        return {
            Unit.HOURS: f"{amount} h",
            Unit.DAYS: f"{amount} d",
            Unit.WEEKS: f"{amount} wk",
        }[self.unit]


def hours(amount: float) -> WorkTime:
    return WorkTime(amount, Unit.HOURS)


def days(amount: float) -> WorkTime:
    return WorkTime(amount, Unit.DAYS)


def weeks(amount: float) -> WorkTime:
    return WorkTime(amount, Unit.WEEKS)
