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


def test_72_hours_are_elapsed_hours_across_the_end_of_summer_time() -> None:
    # Discovered Friday 23 October 2026 10:00 CEST; the clocks go back on Sunday 25th,
    # so 72 hours later it is 09:00 CET on Monday, not 10:00.
    clock = NotificationClock(ams("2026-10-23 10:00"))
    assert clock.due == ams("2026-10-26 09:00")
    assert clock.left(ams("2026-10-23 10:00")) == timedelta(hours=72)
    assert clock.left(ams("2026-10-26 08:00")) == timedelta(hours=1)
    assert clock.state(ams("2026-10-26 09:00")) == "overdue"


def test_72_hours_are_elapsed_hours_across_the_start_of_summer_time() -> None:
    # Discovered Friday 27 March 2026 12:00 CET; the clocks go forward on Sunday 29th.
    clock = NotificationClock(ams("2026-03-27 12:00"))
    assert clock.due == ams("2026-03-30 13:00")
    assert clock.left(ams("2026-03-30 12:30")) == timedelta(minutes=30)
    assert NotificationClock(ams("2026-03-27 12:00"), ams("2026-03-30 12:59")).state(
        ams("2026-04-01 00:00")) == "notified"
