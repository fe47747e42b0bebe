"""The data-breach protocol's clock: a breach involving personal data is notified within
72 hours of its discovery (AVG/GDPR art. 33), counted in calendar hours, not work time:
the supervisor's deadline does not stop at night or at weekends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

NOTIFY_WITHIN = timedelta(hours=72)


@dataclass(frozen=True, slots=True)
class NotificationClock:
    """From the moment of discovery to the notification deadline."""

    discovered_at: datetime
    notified_at: datetime | None = None

    @property
    def due(self) -> datetime:
        """72 elapsed hours, in the zone discovery was given in. Counted in UTC: adding
        hours to an Amsterdam time adds clock hours, one too many or too few across a
        change to or from summer time."""
        return (self.discovered_at.astimezone(UTC) + NOTIFY_WITHIN).astimezone(
            self.discovered_at.tzinfo)

    def left(self, now: datetime) -> timedelta:
        """Time left until the deadline (negative once it passed); frozen at notification.
        In UTC too: two times of one zone subtract as clock readings."""
        return self.due.astimezone(UTC) - (self.notified_at or now).astimezone(UTC)

    def state(self, now: datetime) -> str:
        """"running", "overdue", "notified" (in time) or "notified-late"."""
        if self.notified_at is not None:
            return "notified" if self.left(self.notified_at) >= timedelta(0) else "notified-late"
        return "running" if self.left(now) > timedelta(0) else "overdue"


def hours_minutes(delta: timedelta) -> str:
    """71:59 for 71 hours 59 minutes; -3:05 when 3 hours 5 minutes late."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"
