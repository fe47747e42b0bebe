"""The 72-hour notification clock of a data breach runs in calendar hours."""

from datetime import timedelta

from desk_tui.domain.breach import NotificationClock, hours_minutes
from tests.domain.conftest import ams


def test_the_clock_counts_72_calendar_hours_from_discovery_through_the_weekend() -> None:
    clock = NotificationClock(ams("2026-11-27 16:30"))  # a Friday afternoon
    assert clock.due == ams("2026-11-30 16:30")
    assert clock.left(ams("2026-11-28 16:30")) == timedelta(hours=48)
    assert clock.state(ams("2026-11-30 16:29")) == "running"
    assert clock.state(ams("2026-11-30 16:30")) == "overdue"
    assert hours_minutes(clock.left(ams("2026-11-30 19:35"))) == "-3:05"
    assert hours_minutes(clock.left(ams("2026-11-27 16:31"))) == "71:59"


def test_notification_stops_the_clock_in_time_or_late() -> None:
    discovered = ams("2026-11-27 09:00")
    in_time = NotificationClock(discovered, ams("2026-11-29 09:00"))
    assert in_time.state(ams("2026-12-31 00:00")) == "notified"
    assert in_time.left(ams("2026-12-31 00:00")) == timedelta(hours=24)
    late = NotificationClock(discovered, ams("2026-11-30 10:00"))
    assert late.state(ams("2026-12-31 00:00")) == "notified-late"
