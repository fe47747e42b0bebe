"""Expiry windows and notice dates at their edges."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desk_tui.domain.expiry import EXPIRED, days_left, expiry_window, notice_date, within

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("days", "window"),
    [
        (-365, EXPIRED), (-1, EXPIRED),  # yesterday: expired
        (0, 30),  # today is the last valid day, not yet expired
        (1, 30), (30, 30),  # exactly 30 days is still the 30-day window
        (31, 60), (60, 60), (61, 90), (90, 90),
        (91, None), (400, None),
    ],
)
def test_expiry_window_edges(days, window):
    assert expiry_window(days) == window


def test_expired_is_not_mistaken_for_no_window():
    assert expiry_window(-1) == 0 and expiry_window(-1) is not None


def test_days_left_counts_calendar_days_and_goes_negative():
    assert days_left(TODAY + timedelta(days=30), TODAY) == 30
    assert days_left(TODAY, TODAY) == 0
    assert days_left(TODAY - timedelta(days=1), TODAY) == -1
    # Across a year end and a leap day.
    assert days_left(date(2028, 3, 1), date(2028, 2, 28)) == 2


def test_within_includes_the_edge_day_and_expired_items():
    assert within(TODAY + timedelta(days=90), TODAY, 90)
    assert not within(TODAY + timedelta(days=91), TODAY, 90)
    assert within(TODAY - timedelta(days=10), TODAY, 30)


@pytest.mark.parametrize(
    ("ends_on", "months", "notice_by"),
    [
        (date(2027, 1, 31), 1, date(2026, 12, 31)),  # back across a year end
        (date(2027, 3, 31), 1, date(2027, 2, 28)),  # February is shorter
        (date(2028, 3, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2027, 5, 31), 3, date(2027, 2, 28)),
        (date(2027, 4, 30), 1, date(2027, 3, 30)),  # same day, not month end
        (date(2027, 6, 15), 12, date(2026, 6, 15)),
        (date(2027, 6, 15), 25, date(2025, 5, 15)),
        (date(2027, 6, 15), 0, date(2027, 6, 15)),  # no notice: the end date itself
    ],
)
def test_notice_date(ends_on, months, notice_by):
    assert notice_date(ends_on, months) == notice_by


def test_negative_notice_is_refused():
    with pytest.raises(ValueError, match="negative"):
        notice_date(date(2027, 1, 31), -1)
