"""Availability per month, computed by hand for December 2026 (SPEC 9).

December 2026 has 23 weekdays; Christmas Day (Fri 25) is closed and Boxing Day falls on a
Saturday, so service window 1 (Mon–Fri 08:00–17:00) holds 22 × 9 = 198 hours.
"""

from __future__ import annotations

from datetime import date

import pytest

from desk_tui.domain.availability import availability, month_bounds
from desk_tui.domain.calendar import Calendars
from tests.domain.conftest import AMS, HOUR, ams

DECEMBER = date(2026, 12, 1)


def test_the_month_is_its_opening_hours(calendars: Calendars) -> None:
    result = availability(calendars.service, DECEMBER, AMS, [])
    assert result.window_seconds == 198 * HOUR
    assert result.share == 1.0 and result.meets_norm
    assert month_bounds(date(2026, 12, 9), AMS) == (ams("2026-12-01 00:00"),
                                                    ams("2027-01-01 00:00"))


def test_p1_time_across_a_weekend_and_christmas_counts_only_opening_hours(
    calendars: Calendars,
) -> None:
    incidents = [
        (ams("2026-12-04 16:00"), ams("2026-12-07 10:00"), "M2026-000101"),  # Fri → Mon
        (ams("2026-12-07 09:00"), ams("2026-12-07 11:00"), "M2026-000102"),  # overlaps
        (ams("2026-12-24 16:00"), ams("2026-12-28 09:00"), "M2026-000150"),  # over Christmas
    ]
    result = availability(calendars.service, DECEMBER, AMS, incidents)

    # Fri 16–17 + Mon 08–11 (the overlap counted once) = 4 h; Thu 16–17 + Mon 08–09 = 2 h.
    assert [o.window_seconds / HOUR for o in result.outages] == [4.0, 2.0]
    assert result.outages[0].labels == ("M2026-000101", "M2026-000102")
    assert result.unavailable_seconds == 6 * HOUR
    assert result.share == pytest.approx(1 - 6 / 198)
    assert not result.meets_norm


def test_half_an_hour_keeps_the_norm(calendars: Calendars) -> None:
    result = availability(calendars.service, DECEMBER, AMS,
                          [(ams("2026-12-09 10:00"), ams("2026-12-09 10:30"), "M1")])
    assert result.share == pytest.approx(1 - 0.5 / 198)
    assert result.meets_norm  # 99.75 %


def test_incidents_are_clipped_to_the_month_and_an_open_one_runs_to_now(
    calendars: Calendars,
) -> None:
    incidents = [
        (ams("2026-11-30 15:00"), ams("2026-12-01 09:30"), "from November"),
        (ams("2026-12-31 16:00"), None, "still open"),
    ]
    result = availability(calendars.service, DECEMBER, AMS, incidents,
                          now=ams("2027-01-04 12:00"))
    # Tue 1 Dec 08:00–09:30, and Thu 31 Dec 16:00–17:00 (the month ends at midnight).
    assert [o.window_seconds / HOUR for o in result.outages] == [1.5, 1.0]

    so_far = availability(calendars.service, DECEMBER, AMS, incidents,
                          now=ams("2026-12-01 09:00"))
    assert so_far.unavailable_seconds == 1 * HOUR
