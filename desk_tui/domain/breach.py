"""The data-breach protocol's clock: a breach involving personal data is notified within
72 hours of its discovery (AVG/GDPR art. 33), counted in calendar hours, not work time:
the supervisor's deadline does not stop at night or at weekends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

NOTIFY_WITHIN = timedelta(hours=72)


@dataclass(frozen=True, slots=True)
class NotificationClock:
    """From the moment of discovery to the notification deadline."""

    discovered_at: datetime
    notified_at: datetime | None = None

    @property
    def due(self) -> datetime:
        return self.discovered_at + NOTIFY_WITHIN

    def left(self, now: datetime) -> timedelta:
        """Time left until the deadline (negative once it passed); frozen at notification."""
        return self.due - (self.notified_at or now)

    def state(self, now: datetime) -> str:
        """"running", "overdue", "notified" (in time) or "notified-late"."""
        if self.notified_at is not None:
            return "notified" if self.notified_at <= self.due else "notified-late"
        return "running" if now < self.due else "overdue"


def hours_minutes(delta: timedelta) -> str:
    """71:59 for 71 hours 59 minutes; -3:05 when 3 hours 5 minutes late."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"
